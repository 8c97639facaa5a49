// Package pocketsphinx runs the CMU pocketsphinx recogniser in process
// through cgo (Debian libpocketsphinx-dev 0.8+5prealpha and the
// pocketsphinx-en-us model). Everything but this comment is behind the
// build tag pocketsphinx, so the default build needs no C library:
//
//	go test -tags pocketsphinx ./asr/...
//
// A Decoder is one recogniser instance (not safe for concurrent use); it
// decodes 16 kHz 16-bit mono audio against a JSGF grammar set per
// utterance.
package pocketsphinx
