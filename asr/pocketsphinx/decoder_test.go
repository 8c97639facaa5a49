//go:build pocketsphinx

package pocketsphinx

import (
	"errors"
	"testing"
)

func TestDecoder(t *testing.T) {
	d, err := NewDecoder(Config{})
	if err != nil {
		t.Fatalf("load model (apt-get install libpocketsphinx-dev pocketsphinx-en-us): %v", err)
	}
	defer d.Close()
	if !d.Known("yes") || d.Known("zzqx") {
		t.Error("dictionary lookup wrong")
	}
	if _, _, err := d.End(); !errors.Is(err, ErrDecoder) {
		t.Errorf("End without Start: %v", err)
	}
	if err := d.Start("#JSGF V1.0;\ngrammar g;\npublic <a> = zzqx;\n"); !errors.Is(err, ErrDecoder) {
		t.Errorf("grammar with an unknown word: %v", err)
	}
	g := "#JSGF V1.0;\ngrammar g;\npublic <a> = yes | no;\n"
	for range 2 { // the second Start reuses the compiled grammar
		if err := d.Start(g); err != nil {
			t.Fatal(err)
		}
		if err := d.Process(make([]int16, SampleRate/2)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.End(); err != nil {
			t.Fatal(err)
		}
	}
	if len(d.searches) != 1 {
		t.Errorf("%d grammars compiled, want 1", len(d.searches))
	}
	if _, err := NewDecoder(Config{HMM: "/nonexistent"}); !errors.Is(err, ErrDecoder) {
		t.Errorf("missing model: %v", err)
	}
}
