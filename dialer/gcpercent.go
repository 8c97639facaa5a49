package dialer

import (
	"os"
	"runtime/debug"
	"strconv"
)

// DefaultGCPercent is the garbage collector target (GOGC) of a process that
// places calls at load: the robot role applies it (robot.gc_percent), and
// `outreach bench` measures the dialer with it.
//
// Call signalling allocates some 10 KiB per call, dead within seconds, on a
// live heap of a few megabytes: at Go's default of 100 a robot placing 2,000
// calls a second collects several times a second, measured at about a tenth
// of its CPU per call set up (bench, GOGC 100 vs 400 alternated: 111 vs 100
// µs). At 400 the heap may grow to five times what is live before a
// collection: 2,000 live calls of 30 KiB, 60 MiB live, 300 MiB at most.
const DefaultGCPercent = 400

// ApplyGCPercent sets the collector's target to percent (0: DefaultGCPercent;
// negative: collection off) unless the GOGC environment variable is set,
// which wins as it does for any Go program. It returns the target in force.
func ApplyGCPercent(percent int) int {
	if env, ok := os.LookupEnv("GOGC"); ok {
		if env == "off" {
			return -1
		}
		if n, err := strconv.Atoi(env); err == nil {
			return n
		}
		return 100
	}
	if percent == 0 {
		percent = DefaultGCPercent
	}
	debug.SetGCPercent(percent)
	return percent
}
