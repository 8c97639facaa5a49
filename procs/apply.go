package procs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
)

// Apply sizes the process's Ps as configured: n > 0 fixes GOMAXPROCS at n;
// 0 starts a Scaler, which Apply returns for the caller to stop (it runs
// until then: pass a context that outlives a drain). A valid GOMAXPROCS
// environment variable wins over both, as it does for any Go program. The
// string says what is in force, for logs and reports. Only the process's
// owner calls Apply: GOMAXPROCS is the whole process's.
func Apply(ctx context.Context, n int, logger *slog.Logger) (*Scaler, string) {
	if env := os.Getenv("GOMAXPROCS"); env != "" {
		if v, err := strconv.Atoi(env); err == nil && v > 0 { // what the runtime takes
			return nil, fmt.Sprintf("%d (GOMAXPROCS in the environment)", runtime.GOMAXPROCS(0))
		}
	}
	if n > 0 {
		runtime.GOMAXPROCS(n)
		return nil, fmt.Sprintf("%d (fixed)", n)
	}
	s := New(Config{Logger: logger})
	s.Start(ctx)
	return s, s.String()
}

// String says how the Scaler sizes the process, as "adaptive 1–2 (...)".
func (s *Scaler) String() string {
	s.mu.Lock()
	started := s.done != nil
	s.mu.Unlock()
	if !started {
		return fmt.Sprintf("%d", runtime.GOMAXPROCS(0))
	}
	return fmt.Sprintf("adaptive 1–%d (all from %.2f cores used, back to 1 under %.2f for %v)",
		s.Max(), s.cfg.Up, s.cfg.Down, s.cfg.Hold)
}
