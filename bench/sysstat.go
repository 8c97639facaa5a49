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
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("read /proc/stat: %w", err)
	}
	return parseMachineBusy(b)
}

func parseMachineBusy(b []byte) (time.Duration, error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 6 || f[0] != "cpu" {
		return 0, fmt.Errorf("parse /proc/stat: %q", line)
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

// machineSteal is the time the hypervisor ran something else while this
// machine's vCPUs wanted to run (/proc/stat "cpu" line, field steal,
// proc(5)). Nothing inside the machine can be punctual while it grows.
func machineSteal() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("read /proc/stat: %w", err)
	}
	return parseSteal(b)
}

func parseSteal(b []byte) (time.Duration, error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("parse /proc/stat steal: %q", line)
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
