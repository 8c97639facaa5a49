package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// machineBusy is the CPU time all processes of the machine used so far
// (/proc/stat "cpu" line: everything but idle and iowait, proc(5)). Over a
// window it shows how much of the machine other people's work took.
func machineBusy() (time.Duration, error) {
	b, err := readProcStat()
	if err != nil {
		return 0, err
	}
	return parseMachineBusy(b)
}

// machineTimes is machineBusy and the hypervisor's steal from one read.
func machineTimes() (busy, steal time.Duration, err error) {
	b, err := readProcStat()
	if err != nil {
		return 0, 0, err
	}
	if busy, err = parseMachineBusy(b); err != nil {
		return 0, 0, err
	}
	if steal, err = parseSteal(b); err != nil {
		return 0, 0, err
	}
	return busy, steal, nil
}

func readProcStat() ([]byte, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil, fmt.Errorf("read /proc/stat: %w", err)
	}
	return b, nil
}

// cpuFields is the fields of /proc/stat's first line, the machine-wide
// "cpu" line, when it has at least min of them (the name included).
func cpuFields(b []byte, min int) ([]string, error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < min || f[0] != "cpu" {
		return nil, fmt.Errorf("parse /proc/stat: %q", line)
	}
	return f, nil
}

func parseMachineBusy(b []byte) (time.Duration, error) {
	f, err := cpuFields(b, 6)
	if err != nil {
		return 0, err
	}
	var busy uint64
	for i, s := range f[1:] {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse /proc/stat: %w", err)
		}
		// user nice system idle iowait irq softirq steal guest guest_nice;
		// guest times are already inside user and nice.
		if i == 3 || i == 4 || i >= 8 {
			continue
		}
		busy += v
	}
	return time.Duration(busy) * clockTick, nil
}

// parseSteal reads the time the hypervisor ran something else while this
// machine's vCPUs wanted to run (the "cpu" line's steal field, proc(5)).
// Nothing inside the machine can be punctual while it grows.
func parseSteal(b []byte) (time.Duration, error) {
	f, err := cpuFields(b, 9)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(f[8], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse /proc/stat steal: %w", err)
	}
	return time.Duration(v) * clockTick, nil
}

// udpDrops maps local UDP ports on 127.0.0.1 to the datagrams their
// sockets dropped (receive buffer full), from /proc/net/udp.
func udpDrops() (map[uint16]uint64, error) {
	b, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		return nil, fmt.Errorf("read /proc/net/udp: %w", err)
	}
	return parseUDPDrops(b), nil
}

func parseUDPDrops(b []byte) map[uint16]uint64 {
	out := make(map[uint16]uint64)
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 13 {
			continue
		}
		ip, port, ok := strings.Cut(f[1], ":")
		if !ok || ip != "0100007F" { // 127.0.0.1, little endian hex
			continue
		}
		p, err1 := strconv.ParseUint(port, 16, 16)
		d, err2 := strconv.ParseUint(f[len(f)-1], 10, 64)
		if err1 == nil && err2 == nil {
			out[uint16(p)] += d
		}
	}
	return out
}

// runQueueWait is the time the threads of process pid (0: this one) spent
// runnable but waiting for a CPU (/proc/<pid>/task/*/schedstat, second
// field, ns): how much the machine's other work delayed it.
func runQueueWait(pid int) (time.Duration, error) {
	dir := "/proc/self/task"
	if pid != 0 {
		dir = fmt.Sprintf("/proc/%d/task", pid)
	}
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", dir, err)
	}
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread ended
		}
		sum += parseSchedstatWait(b)
	}
	return sum, nil
}

func parseSchedstatWait(b []byte) time.Duration {
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	v, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return time.Duration(v)
}
