// Package procs sizes the Go scheduler to a process's load.
//
// A robot at light load (call signalling, a few hundred calls of media)
// does its work in short bursts: a datagram arrives, a goroutine is
// readied, the answer goes out. With more than one P, each goroutine made
// ready while another P is idle wakes a second thread (runtime.wakep),
// which spins looking for work, often finds none, and sleeps again. On a
// virtual machine every such wake-up costs a futex call and an
// inter-processor interrupt. Measured with `outreach bench` on a 2-vCPU
// VM (runs alternated), call setup at 2,000 calls/s took 61–78 µs of CPU
// per call on 2 Ps and 36–65 µs on 1 P (1.58–1.83× and 1.02–1.32× what
// sipp took in the same runs), 1.9–2.3 context switches per call against
// 0.5.
//
// A Scaler therefore runs the process on one P while it uses little CPU
// and gives it all its Ps (the runtime's default GOMAXPROCS) as soon as it
// uses more, with hysteresis: up at once when the process uses Up cores
// over a sampling interval, down only when it has stayed under Down cores
// for Hold. Scaling up hands GOMAXPROCS back to the runtime
// (runtime.SetDefaultGOMAXPROCS), which then follows CPU-limit changes
// again. Apply starts one unless GOMAXPROCS is set in the environment or a
// fixed number is configured. GOMAXPROCS is the whole process's, so only the
// process's owner applies it: `outreach serve` with the robot role
// (robot.procs) and `outreach bench` (--procs), never a node inside tests.
package procs
