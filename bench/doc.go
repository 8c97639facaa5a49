// Package bench is the benchmark harness behind `outreach bench`: it runs
// the project's hot paths side by side with sipp in the same run and
// reports our figure, sipp's, their ratio and the target.
//
// Three sections:
//
//   - setup: the dialer in load mode (dialer.Request.NoMedia) against a
//     `sipp -sn uas`, versus `sipp -sn uac` against the same UAS, at the
//     same rate, concurrency cap and number of calls. Calls/s, failures,
//     CPU per call and the INVITE → 200 latency.
//   - media: N calls held open with 20 ms RTP both ways against K
//     `sipp -sn uas -rtp_echo` (calls round robin: one sipp has a single
//     media socket, which overflows first), our side playing audio through
//     one shared rtp.PacerGroup, each run in its own child process when
//     Config.Spawn is set. CPU per call against sipp's echo, send lateness
//     from the pacers' histograms, packets sent versus echoed (losses split
//     by the socket that dropped them), memory per call.
//   - frame: G.711 coding and DTMF detection of one 20 ms frame
//     (testing.Benchmark in process), which must not allocate.
//
// CPU is process CPU time (user+system): getrusage for this process, which
// runs only our side while a section measures, wait4 usage for a sipp that
// exited, /proc/<pid>/stat deltas for a sipp still running. Figures are
// compared within one run; tests never assert them against wall-clock
// thresholds.
package bench
