//go:build !pocketsphinx

package asr

import (
	"errors"
	"testing"
)

func TestPocketsphinxNotBuilt(t *testing.T) {
	_, err := New(Config{Engine: EnginePocketsphinx})
	if !errors.Is(err, ErrNotBuilt) || PocketsphinxBuilt {
		t.Errorf("err = %v, want ErrNotBuilt", err)
	}
}
