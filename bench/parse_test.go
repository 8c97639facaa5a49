package bench

import (
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name, in string
		want     time.Duration
		err      bool
	}{
		{"plain", "123 (sipp) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 3 0 100", 2 * time.Second, false},
		{"name with spaces and parens", "9 (a) b) (c) R 1 2 3 4 5 6 7 8 9 10 1 2 0 0", 30 * time.Millisecond, false},
		{"short", "9 (x) R 1 2", 0, true},
		{"no command", "9 x R", 0, true},
		{"bad number", "9 (x) R 1 2 3 4 5 6 7 8 9 10 a 2 0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.in))
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("parseStatCPU = %v, %v; want %v, err %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseRTT(t *testing.T) {
	got := parseRTT("Date_ms;response_time_ms;rtd_no\n4.001;3;1\n8.001;0;1\nbad\n9;1.5;1\n")
	want := []time.Duration{0, 1500 * time.Microsecond, 3 * time.Millisecond}
	if len(got) != len(want) {
		t.Fatalf("parseRTT = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("parseRTT[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestLastStatRow(t *testing.T) {
	m, err := lastStatRow("A;SuccessfulCall(C);FailedCall(C);\n1;2;3;\n4;5;6;\n")
	if err != nil {
		t.Fatal(err)
	}
	if m["SuccessfulCall(C)"] != "5" || m["FailedCall(C)"] != "6" || atoi(m["FailedCall(C)"]) != 6 {
		t.Errorf("lastStatRow = %v", m)
	}
	if _, err := lastStatRow("only a header\n"); err == nil {
		t.Error("lastStatRow accepted a file without rows")
	}
}

func TestParseUDPDrops(t *testing.T) {
	in := `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  152: 0100007F:E16C 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 678998 2 00000000c8086a1a 17
  153: 00000000:E16D 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 678999 2 00000000c8086a1b 5
  154: 0100007F:0050 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 678990 2 00000000c8086a1c 0
`
	got := parseUDPDrops([]byte(in))
	if got[0xE16C] != 17 || got[0x50] != 0 || len(got) != 2 {
		t.Errorf("parseUDPDrops = %v", got)
	}
}

func TestParseMachineBusy(t *testing.T) {
	got, err := parseMachineBusy([]byte("cpu  100 5 20 1000 7 1 2 3 40 0\ncpu0 1 2 3 4\n"))
	if err != nil || got != 131*clockTick { // user+nice+system+irq+softirq+steal
		t.Errorf("parseMachineBusy = %v, %v; want %v", got, err, 131*clockTick)
	}
	if _, err := parseMachineBusy([]byte("intr 1 2 3")); err == nil {
		t.Error("parseMachineBusy accepted a non-cpu line")
	}
}

func TestParseSteal(t *testing.T) {
	got, err := parseSteal([]byte("cpu  100 5 20 1000 7 1 2 3 40 0\ncpu0 1 2 3 4\n"))
	if err != nil || got != 3*clockTick {
		t.Errorf("parseSteal = %v, %v; want %v", got, err, 3*clockTick)
	}
	for _, bad := range []string{"intr 1 2 3", "cpu 1 2 3 4 5 6 7", "cpu 1 2 3 4 5 6 7 x"} {
		if _, err := parseSteal([]byte(bad)); err == nil {
			t.Errorf("parseSteal accepted %q", bad)
		}
	}
}

func TestParseSchedstatWait(t *testing.T) {
	tests := map[string]time.Duration{"0 56435 1\n": 56435, "12 7 3": 7, "": 0, "1": 0, "1 x 2": 0}
	for in, want := range tests {
		if got := parseSchedstatWait([]byte(in)); got != want {
			t.Errorf("parseSchedstatWait(%q) = %v, want %v", in, got, want)
		}
	}
	if w, err := runQueueWait(0); err != nil || w < 0 {
		t.Errorf("runQueueWait(self) = %v, %v", w, err)
	}
}

func TestPercentile(t *testing.T) {
	s := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		q    float64
		want time.Duration
	}{{0.5, 5}, {0.99, 10}, {0, 1}, {1, 10}}
	for _, tt := range tests {
		if got := percentile(s, tt.q); got != tt.want {
			t.Errorf("percentile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

func TestSectionAndVerdictStrings(t *testing.T) {
	for _, s := range []Section{SectionSetup, SectionMedia, SectionFrame} {
		back, err := ParseSection(s.String())
		if err != nil || back != s {
			t.Errorf("ParseSection(%q) = %v, %v", s, back, err)
		}
	}
	if _, err := ParseSection("nope"); err == nil {
		t.Error("ParseSection accepted nope")
	}
	for v, want := range map[Verdict]string{Info: "-", Pass: "PASS", Miss: "MISS", Verdict(9): "Verdict(9)"} {
		if v.String() != want {
			t.Errorf("Verdict %d = %q, want %q", v, v.String(), want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := Config{}.withDefaults()
	if err != nil || c.Calls != 20000 || c.Rate != 2000 || len(c.MediaCalls) != 2 || len(c.Sections) != 3 {
		t.Errorf("defaults = %+v, %v", c, err)
	}
	for _, bad := range []Config{{Calls: -1}, {MediaCalls: []int{0}}, {Rate: 1e6}} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("withDefaults accepted %+v", bad)
		}
	}
}

func TestReportRatiosAndCounts(t *testing.T) {
	var r Report
	r.add(Row{Section: "s", Metric: "a", Ours: 4, Sipp: ptr(2), Verdict: Miss})
	r.add(Row{Section: "s", Metric: "b", Ours: 4, Sipp: ptr(0), Verdict: Pass})
	a, _ := r.Row("s", "a")
	b, _ := r.Row("s", "b")
	if a.Ratio == nil || *a.Ratio != 2 || b.Ratio != nil || r.Misses != 1 {
		t.Errorf("ratios %v %v, misses %d", a.Ratio, b.Ratio, r.Misses)
	}
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil || !strings.Contains(sb.String(), "2.00×") || !strings.Contains(sb.String(), "MISS") {
		t.Errorf("WriteText = %q, %v", sb.String(), err)
	}
}

func FuzzParsers(f *testing.F) {
	f.Add([]byte("123 (sipp) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 3 0 100"))
	f.Add([]byte("Date_ms;response_time_ms;rtd_no\n4.001;3;1\n"))
	f.Add([]byte("A;B\n1;2\n"))
	f.Add([]byte("  1: 0100007F:E16C 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2 0 17\n"))
	f.Add([]byte("cpu  100 5 20 1000 7 1 2 3 40 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseStatCPU(b)
		_ = parseRTT(string(b))
		_, _ = lastStatRow(string(b))
		_ = parseUDPDrops(b)
		_, _ = parseMachineBusy(b)
		_, _ = parseSteal(b)
		_ = parseSchedstatWait(b)
	})
}
