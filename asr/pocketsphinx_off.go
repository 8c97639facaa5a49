//go:build !pocketsphinx

package asr

import "fmt"

// PocketsphinxBuilt reports whether this binary has the pocketsphinx engine.
const PocketsphinxBuilt = false

func newPocketsphinx(Config) (Recognizer, error) {
	return nil, fmt.Errorf("asr: pocketsphinx: %w: build with -tags pocketsphinx (needs libpocketsphinx-dev, pocketsphinx-en-us)", ErrNotBuilt)
}
