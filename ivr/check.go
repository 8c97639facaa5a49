package ivr

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// CheckOptions configure Check.
type CheckOptions struct {
	// AudioExists reports whether a recorded prompt exists; the path is
	// relative to the script's directory. Nil skips the audio check.
	AudioExists func(rel string) bool
}

// AudioInDir returns an AudioExists that looks for files under dir.
func AudioInDir(dir string) func(string) bool {
	return func(rel string) bool {
		st, err := os.Stat(filepath.Join(dir, rel))
		return err == nil && st.Mode().IsRegular()
	}
}

// Summary describes a script that passed Check.
type Summary struct {
	ID              string
	Version         int
	Digest          string
	Nodes           int
	Questions       int
	Rules           int
	LongestPath     []string
	LongestDuration time.Duration // every prompt said in full, every retry waited out
}

func (s Summary) String() string {
	return fmt.Sprintf("%s v%d: %d nodes (%d questions), %d rules; longest path %d nodes (%s), at most about %s; %s",
		s.ID, s.Version, s.Nodes, s.Questions, s.Rules, len(s.LongestPath), strings.Join(s.LongestPath, " → "),
		s.LongestDuration.Round(time.Second), s.Digest)
}

// Check validates a script source and returns every mistake (sorted by
// line) and, when there are none, a summary. path is used in diagnostics.
func Check(path string, src []byte, opts CheckOptions) ([]Diagnostic, Summary) {
	s, diags := parseScript(path, src)
	if s == nil {
		return diags, Summary{}
	}
	if opts.AudioExists != nil {
		p := &parser{file: path}
		for _, id := range s.Order {
			n := s.Nodes[id]
			if n.Audio == "" {
				continue
			}
			rel := filepath.Join(s.Voice.AudioDir, n.Audio)
			if !opts.AudioExists(rel) {
				p.errAt(n.audioPos, "missing audio file %s", rel)
			}
		}
		diags = append(diags, p.diags...)
		sortDiagnostics(diags)
	}
	if len(diags) > 0 {
		return diags, Summary{}
	}
	return nil, summarize(s)
}

func summarize(s *Script) Summary {
	sum := Summary{ID: s.ID, Version: s.Version, Digest: s.Digest(), Nodes: len(s.Nodes), Rules: len(s.Rules)}
	for _, n := range s.Nodes {
		if n.Kind == KindAsk {
			sum.Questions++
		}
	}
	sum.LongestPath, sum.LongestDuration = s.longest()
	return sum
}
