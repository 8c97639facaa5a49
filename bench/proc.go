package bench

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux architecture Go supports (sysconf(_SC_CLK_TCK)).
const clockTick = 10 * time.Millisecond

// selfCPU is this process's user+system CPU time (getrusage).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return rusageCPU(&ru)
}

// selfSwitches is how often this process's threads gave up the CPU,
// voluntarily or not (getrusage ru_nvcsw + ru_nivcsw). On a virtual machine
// each one is costly, so it explains much of a CPU-per-call figure.
func selfSwitches() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return rusageSwitches(&ru)
}

func rusageSwitches(ru *syscall.Rusage) int64 { return ru.Nvcsw + ru.Nivcsw }

func rusageCPU(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is another process's user+system CPU time from /proc/<pid>/stat
// (fields 14 and 15, proc(5)), all its threads included.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu of %d: %w", pid, err)
	}
	return parseStatCPU(b)
}

// parseStatCPU reads utime+stime; the command name (field 2) may hold
// spaces and parentheses, so fields are counted after its last ')'.
func parseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("parse /proc stat: no command field")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 { // f[0] is field 3 (state): utime is f[11], stime f[12]
		return 0, fmt.Errorf("parse /proc stat: %d fields", len(f))
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("parse /proc stat: bad times %q %q", f[11], f[12])
	}
	return time.Duration(u+s) * clockTick, nil
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// freePorts returns n distinct even ports p on 127.0.0.1 with p and p+1
// free for UDP and TCP at the time of the call (sipp binds its media port
// and the next ones; RTP wants even ports, RFC 3550 §11).
func freePorts(n int) ([]int, error) {
	var out []int
	for try := 0; try < 200 && len(out) < n; try++ {
		u, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		p := u.LocalAddr().(*net.UDPAddr).Port
		u.Close()
		if p%2 != 0 || p > 65000 || slices.Contains(out, p) || slices.Contains(out, p-2) || slices.Contains(out, p+2) {
			continue
		}
		if portFree(p) && portFree(p+1) && portFree(p+2) && portFree(p+3) {
			out = append(out, p)
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("free port: found %d of %d", len(out), n)
	}
	return out, nil
}

func portFree(p int) bool {
	ip := net.IPv4(127, 0, 0, 1)
	u, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: p})
	if err != nil {
		return false
	}
	u.Close()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: ip, Port: p})
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// udpBound reports whether some process has bound 127.0.0.1:p (UDP).
func udpBound(p int) bool {
	u, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
	if err != nil {
		return true
	}
	u.Close()
	return false
}

// percentile returns the q-quantile (0..1) of sorted durations, nearest rank.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
