package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Verdict is a row's result against its target.
type Verdict uint8

// Verdicts. Info rows have no target.
const (
	Info Verdict = iota
	Pass
	Miss
)

// String returns "-", "PASS" or "MISS".
func (v Verdict) String() string {
	switch v {
	case Info:
		return "-"
	case Pass:
		return "PASS"
	case Miss:
		return "MISS"
	}
	return fmt.Sprintf("Verdict(%d)", uint8(v))
}

// MarshalText writes String.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (v *Verdict) UnmarshalText(b []byte) error {
	for _, x := range []Verdict{Info, Pass, Miss} {
		if x.String() == string(b) {
			*v = x
			return nil
		}
	}
	return fmt.Errorf("unknown verdict %q", b)
}

// Row is one figure: ours, sipp's when there is one, their ratio, the
// target and the verdict.
type Row struct {
	Section string   `json:"section"`
	Metric  string   `json:"metric"`
	Unit    string   `json:"unit,omitempty"`
	Ours    float64  `json:"ours"`
	Sipp    *float64 `json:"sipp,omitempty"`
	Ratio   *float64 `json:"ratio,omitempty"` // ours / sipp
	Target  string   `json:"target,omitempty"`
	Verdict Verdict  `json:"verdict"`
}

// Host describes the machine during the run (it may be shared).
type Host struct {
	CPUs        int    `json:"cpus"`
	GOMAXPROCS  int    `json:"gomaxprocs"` // before our side was sized
	Procs       string `json:"procs"`      // how our side sizes its Ps (robot.procs)
	GOGC        int    `json:"gogc"`
	LoadBefore  string `json:"load_before"` // /proc/loadavg: 1, 5, 15 minutes
	LoadAfter   string `json:"load_after"`
	SippVersion string `json:"sipp_version"`
}

// Report is the outcome of Run.
type Report struct {
	Started  time.Time     `json:"started"`
	Elapsed  time.Duration `json:"elapsed_ns"`
	Host     Host          `json:"host"`
	Rows     []Row         `json:"rows"`
	Notes    []string      `json:"notes,omitempty"`
	Misses   int           `json:"misses"`
	Failures int           `json:"failures"` // failed calls + dropped packets of our side
}

// Row returns the row of a section and metric.
func (r *Report) Row(section, metric string) (Row, bool) {
	for _, x := range r.Rows {
		if x.Section == section && x.Metric == metric {
			return x, true
		}
	}
	return Row{}, false
}

func (r *Report) add(x Row) {
	if x.Sipp != nil && *x.Sipp != 0 {
		ratio := x.Ours / *x.Sipp
		x.Ratio = &ratio
	}
	if x.Verdict == Miss {
		r.Misses++
	}
	r.Rows = append(r.Rows, x)
}

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as an aligned table.
func (r *Report) WriteText(w io.Writer) error {
	procs := r.Host.Procs
	if procs == "" {
		procs = strconv.Itoa(r.Host.GOMAXPROCS)
	}
	fmt.Fprintf(w, "outreach bench %s (%s) — %d CPUs, GOMAXPROCS %s, GOGC %d, %s\n",
		r.Started.UTC().Format(time.RFC3339), r.Elapsed.Round(time.Millisecond), r.Host.CPUs, procs, r.Host.GOGC, r.Host.SippVersion)
	fmt.Fprintf(w, "load average before %s, after %s\n\n", r.Host.LoadBefore, r.Host.LoadAfter)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SECTION\tMETRIC\tOURS\tSIPP\tRATIO\tTARGET\tVERDICT")
	for _, x := range r.Rows {
		sipp, ratio := "-", "-"
		if x.Sipp != nil {
			sipp = num(*x.Sipp)
		}
		if x.Ratio != nil {
			ratio = fmt.Sprintf("%.2f×", *x.Ratio)
		}
		metric := x.Metric
		if x.Unit != "" {
			metric += " (" + x.Unit + ")"
		}
		target := x.Target
		if target == "" {
			target = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Section, metric, num(x.Ours), sipp, ratio, target, x.Verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(n, "\n", "\n    "))
		}
	}
	_, err := fmt.Fprintf(w, "\n%d target(s) missed, %d failure(s)\n", r.Misses, r.Failures)
	return err
}

// num formats a figure with as many decimals as it deserves.
func num(v float64) string {
	a := v
	if a < 0 {
		a = -a
	}
	switch {
	case a == 0:
		return "0"
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 0.1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func ptr(v float64) *float64 { return &v }

// verdict returns Pass when ok, else Miss.
func verdict(ok bool) Verdict {
	if ok {
		return Pass
	}
	return Miss
}
