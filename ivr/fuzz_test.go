package ivr

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes to the script loader: it must never panic,
// every diagnostic must carry a position, and a script that loads must run
// to the end over a silent resident.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "scripts", "samples", "*.yaml"))
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(head + okNodes))
	f.Add([]byte(head + "  q:\n    say: a\n    next: r\n  r:\n    say: b\n    next: q\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("nodes: {q: {say: \"{{.Org}\"}}\n"))
	f.Add([]byte("- 1\n- 2\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		diags, _ := Check("f.yaml", src, CheckOptions{AudioExists: func(string) bool { return true }})
		for _, d := range diags {
			if d.Line < 1 || d.Col < 1 {
				t.Fatalf("diagnostic without position: %v", d)
			}
		}
		s, err := Load(src)
		if err != nil {
			return
		}
		clock := &fakeClock{t: time.Unix(0, 0)}
		sess := &fakeSession{clock: clock, steps: rep(N(), 50)}
		res, err := NewEngine(s, Options{Now: clock.Now, MaxSteps: 50}).Run(context.Background(), sess, Data{Org: "o"})
		if err != nil || res == nil {
			t.Fatalf("run: %v", err)
		}
	})
}
