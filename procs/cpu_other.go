//go:build !unix

package procs

import "time"

// processCPU reports no CPU time here: the Scaler stays off.
func processCPU() (time.Duration, bool) { return 0, false }
