package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// uacResult is what one `sipp -sn uac` run did.
type uacResult struct {
	Calls, Successful, Failed, Retransmissions int
	Wall, CPU                                  time.Duration
	Switches                                   int64           // context switches, -1 if unknown
	Setup                                      []time.Duration // INVITE → 200 per call (sipp's rtd, 1 ms resolution)
}

// runUAC runs sipp's built-in UAC against target until it placed calls
// calls at rate per second with at most conc in progress (-d 0: BYE right
// after the ACK, like our side's Hangup right after Dial).
func runUAC(ctx context.Context, bin, dir, target string, calls int, rate float64, conc int) (uacResult, error) {
	ports, err := freePorts(3)
	if err != nil {
		return uacResult{}, err
	}
	limit := time.Duration(float64(calls)/rate*float64(time.Second)) + 90*time.Second
	args := []string{"-sn", "uac", target, "-i", "127.0.0.1", "-mi", "127.0.0.1",
		"-p", strconv.Itoa(ports[0]), "-mp", strconv.Itoa(ports[1]), "-cp", strconv.Itoa(ports[2]),
		"-r", strconv.FormatFloat(rate, 'f', -1, 64), "-l", strconv.Itoa(conc), "-m", strconv.Itoa(calls),
		"-d", "0", "-nostdin", "-trace_err", "-trace_stat", "-fd", "1", "-trace_rtt", "-rtt_freq", "1",
		"-timeout", strconv.Itoa(int(limit.Seconds())) + "s"}
	p, err := startSipp(bin, dir, "sipp uac", args...)
	if err != nil {
		return uacResult{}, err
	}
	defer p.stop()
	if err := p.wait(ctx); err != nil {
		return uacResult{}, err
	}
	if code := p.exitCode(); code != 0 && code != 1 { // 1: some calls failed
		return uacResult{}, fmt.Errorf("sipp uac exited %d: %s", code, p.output())
	}
	res := uacResult{Calls: calls, Wall: p.end.Sub(p.start)}
	if res.CPU, err = p.cpu(); err != nil {
		return res, err
	}
	res.Switches = p.switches()
	if err := readUACStats(dir, &res); err != nil {
		return res, err
	}
	return res, nil
}

// readUACStats reads the last line of sipp's -trace_stat file and the
// per-call response times of -trace_rtt.
func readUACStats(dir string, res *uacResult) error {
	stat, err := globOne(dir, "uac_*_.csv")
	if err != nil {
		return err
	}
	b, err := os.ReadFile(stat)
	if err != nil {
		return fmt.Errorf("read sipp stats: %w", err)
	}
	cols, err := lastStatRow(string(b))
	if err != nil {
		return err
	}
	res.Successful, res.Failed = atoi(cols["SuccessfulCall(C)"]), atoi(cols["FailedCall(C)"])
	res.Retransmissions = atoi(cols["Retransmissions(C)"])
	rtt, err := globOne(dir, "uac_*_rtt.csv")
	if err != nil {
		return err
	}
	if b, err = os.ReadFile(rtt); err != nil {
		return fmt.Errorf("read sipp rtt: %w", err)
	}
	res.Setup = parseRTT(string(b))
	return nil
}

func globOne(dir, pattern string) (string, error) {
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(m) == 0 {
		return "", fmt.Errorf("sipp wrote no %s in %s", pattern, dir)
	}
	return m[0], nil
}

// lastStatRow maps sipp's stat CSV header names to the last row's values.
func lastStatRow(s string) (map[string]string, error) {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("sipp stats: %d lines", len(lines))
	}
	head := strings.Split(strings.TrimSpace(lines[0]), ";")
	vals := strings.Split(strings.TrimSpace(lines[len(lines)-1]), ";")
	m := make(map[string]string, len(head))
	for i, h := range head {
		if i < len(vals) {
			m[h] = vals[i]
		}
	}
	return m, nil
}

// parseRTT reads "Date_ms;response_time_ms;rtd_no" lines, sorted.
func parseRTT(s string) []time.Duration {
	var out []time.Duration
	for _, l := range strings.Split(s, "\n") {
		f := strings.Split(strings.TrimSpace(l), ";")
		if len(f) < 2 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue // header
		}
		out = append(out, time.Duration(v*float64(time.Millisecond)))
	}
	slices.Sort(out)
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
