// Package prompts turns the words of an IVR script into 8 kHz mono PCM.
//
// Prompts come either from recorded audio (any WAV, converted to 8 kHz by
// outreach/media) or from a text-to-speech Engine: EspeakEngine runs espeak-ng
// locally (Chinese text is normalised — numbers, dates, times and temperatures
// written out as a person reads them — and converted to tone-numbered pinyin
// for the cmn-latn-pinyin voice), HTTPEngine calls a network service such as
// an OpenAI-compatible /v1/audio/speech endpoint, and ShippedEngine serves the
// pre-rendered prompts committed with the sample scripts before falling back
// to another engine.
//
// A Renderer caches rendered audio on disk (Cache), keyed by engine, voice,
// rate, volume and normalised text, and pre-renders a campaign's prompts with
// bounded parallelism before the first call.
package prompts
