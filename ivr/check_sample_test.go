package ivr

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestSamplesCheckClean(t *testing.T) {
	files, err := filepath.Glob("../scripts/samples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample scripts: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		diags, sum := Check(f, src, CheckOptions{AudioExists: AudioInDir(filepath.Dir(f))})
		for _, d := range diags {
			t.Errorf("%s", d)
		}
		if len(diags) == 0 {
			t.Logf("%s", sum)
		}
	}
}

// TestSampleTwinsMatch keeps each English sample the twin of its Chinese
// original: the same nodes, branches, answers and rules.
func TestSampleTwinsMatch(t *testing.T) {
	zh, _ := filepath.Glob("../scripts/samples/*.zh.yaml")
	if len(zh) < 3 {
		t.Fatalf("want 3 Chinese samples, have %d", len(zh))
	}
	for _, f := range zh {
		a, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := LoadFile(f[:len(f)-len(".zh.yaml")] + ".en.yaml")
		if err != nil {
			t.Fatalf("English twin of %s: %v", f, err)
		}
		if fmt.Sprint(a.Edges()) != fmt.Sprint(b.Edges()) || fmt.Sprint(a.AnswerKeys()) != fmt.Sprint(b.AnswerKeys()) ||
			len(a.Rules) != len(b.Rules) || a.Language == b.Language {
			t.Errorf("%s and its English twin differ in structure", f)
		}
		for i := range a.Rules {
			if a.Rules[i].When != b.Rules[i].When || a.Rules[i].Flag != b.Rules[i].Flag {
				t.Errorf("%s rule %d differs: %q vs %q", f, i, a.Rules[i].When, b.Rules[i].When)
			}
		}
	}
}
