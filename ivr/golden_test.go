package ivr

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// scenario is one scripted call.
type scenario struct {
	name          string
	steps         []step
	transferFails bool
}

func cat(parts ...[]step) []step {
	var out []step
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func runScenario(t *testing.T, sc *Script, s scenario) (*Result, *fakeSession) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	sess := &fakeSession{clock: clock, steps: append([]step(nil), s.steps...)}
	if s.transferFails {
		sess.transferErr = errTransferBusy
	}
	data := Data{Org: "幸福街道办事处", Resident: Resident{Name: "张三华"}, Campaign: Campaign{Name: "居家观察每日随访"}}
	if !strings.HasPrefix(sc.Language, "zh") {
		data = Data{Org: "Happy Street Office", Resident: Resident{Name: "Alice Smith"}, Campaign: Campaign{Name: "Daily check"}}
	}
	res, err := NewEngine(sc, Options{Now: clock.Now}).Run(context.Background(), sess, data)
	if err != nil {
		t.Fatalf("%s: run: %v", s.name, err)
	}
	for _, l := range sess.log {
		if strings.Contains(l, "ran out of inputs") {
			t.Errorf("%s: the scenario ended before the script did", s.name)
		}
	}
	if len(sess.steps) > 0 || sess.pending != nil {
		t.Errorf("%s: %d inputs left unused: %v", s.name, len(sess.steps), sess.steps)
	}
	return res, sess
}

func formatRun(s scenario, res *Result, sess *fakeSession) string {
	var b strings.Builder
	fmt.Fprintf(&b, "=== %s\n", s.name)
	var in []string
	for _, st := range s.steps {
		in = append(in, st.String())
	}
	fmt.Fprintf(&b, "inputs: %s\n", strings.Join(in, "; "))
	if s.transferFails {
		b.WriteString("transfer fails\n")
	}
	for _, e := range res.Transcript {
		fmt.Fprintf(&b, "%s\n", e)
	}
	fmt.Fprintf(&b, "status: %s, end: %s, duration: %s, opt-out: %v, transferred: %v %s\n",
		res.Status, res.EndNode, res.Duration, res.OptOut, res.Transferred, res.TransferTo)
	for _, a := range res.Answers {
		fmt.Fprintf(&b, "answer: %s (%s) = %v raw=%q %s conf=%.2f attempts=%d\n", a.Key, a.Type, a.Value, a.Raw, a.Method, a.Confidence, a.Attempts)
	}
	for _, k := range sortedKeys(res.Vars) {
		fmt.Fprintf(&b, "var: %s = %v\n", k, res.Vars[k])
	}
	fmt.Fprintf(&b, "flags: %s\n", strings.Join(res.Flags, ", "))
	for _, a := range res.Alerts {
		fmt.Fprintf(&b, "alert: %s when %s (%s)\n", a.Flag, a.Rule, a.Note)
	}
	for _, l := range sess.log {
		fmt.Fprintf(&b, "session: %s\n", l)
	}
	return b.String() + "\n"
}

// taken lists the edges a transcript followed.
func taken(res *Result) []Edge {
	var out []Edge
	prev := ""
	for _, e := range res.Transcript {
		if e.Kind != EventEnter {
			continue
		}
		if prev != "" {
			out = append(out, Edge{prev, e.Node, e.Detail})
		}
		prev = e.Node
	}
	return out
}

func TestGoldenTranscripts(t *testing.T) {
	for file, scenarios := range goldenScenarios() {
		t.Run(file, func(t *testing.T) {
			path := filepath.Join("..", "scripts", "samples", file)
			sc, err := LoadFile(path)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			var out strings.Builder
			fmt.Fprintf(&out, "# %s %s v%d %s\n\n", file, sc.ID, sc.Version, sc.Digest())
			edges := map[Edge]bool{}
			kinds := map[EventKind]bool{}
			for _, s := range scenarios {
				res, sess := runScenario(t, sc, s)
				out.WriteString(formatRun(s, res, sess))
				for _, e := range taken(res) {
					edges[e] = true
				}
				for _, e := range res.Transcript {
					kinds[e.Kind] = true
				}
			}
			checkCoverage(t, sc, edges, kinds)
			compareGolden(t, strings.TrimSuffix(file, ".yaml")+".golden", out.String())
		})
	}
}

func checkCoverage(t *testing.T, sc *Script, edges map[Edge]bool, kinds map[EventKind]bool) {
	t.Helper()
	for _, e := range sc.Edges() {
		if !edges[e] {
			t.Errorf("no scenario takes %s -[%s]-> %s", e.From, e.Label, e.To)
		}
	}
	for _, k := range []EventKind{EventRetry, EventNoInput, EventNoMatch, EventBargeIn, EventOptOut,
		EventRepeat, EventAnswer, EventHangup, EventCalleeHangup} {
		if !kinds[k] {
			t.Errorf("no scenario produces a %s event", k)
		}
	}
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create): %v", err)
	}
	if string(want) != got {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d (go test -update rewrites it):\nwant: %s\ngot:  %s", path, i+1, w, g)
			}
		}
	}
}

func TestGoldenScenariosCoverEverySample(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "scripts", "samples", "*.yaml"))
	have := goldenScenarios()
	var missing []string
	for _, f := range files {
		if _, ok := have[filepath.Base(f)]; !ok {
			missing = append(missing, filepath.Base(f))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("samples without golden scenarios: %v", missing)
	}
}
