// Package rtp runs the RTP media sessions of calls (RFC 3550) on top of
// github.com/pion/rtp: one UDP socket per session bound to an even port
// (RFC 3550 §11), and shared pacers that send and receive for them: no
// goroutine per session.
//
// Receiving: datagrams that are not RTP version 2, are too short, or carry an
// RTCP packet type (RFC 5761 §4: a second byte in 192..223) are ignored and
// counted. Audio packets of the negotiated payload type pass a small jitter
// buffer (reordering within a few packets, 16-bit sequence wrap, duplicate and
// late packet removal) and are decoded into 20 ms frames of 160 samples;
// telephone-event packets (RFC 4733) yield each key press exactly once.
// Several SSRCs are accepted on one port (sipp's play_dtmf injects one).
//
// Symmetric RTP (RFC 4961): the send address starts as the one given by
// SetRemote (from SDP) and is latched to the source of the first valid RTP
// packet. While the latched source keeps sending, packets from other sources
// are still accepted as media but do not move the send address; once the
// latched source has been silent for Config.LatchTimeout (default 2 s), the
// next valid packet from another source re-latches the send address.
//
// Sending: a Pacer ticks every 20 ms against absolute deadlines (no drift) and
// sends the next packet of every stream registered with it, so there is no
// timer per call. A PacerGroup holds one Pacer per CPU and assigns sessions
// round robin. Packets of one socket due on the same tick are written with one
// sendmmsg. The socket is read and written with raw system calls (package
// media/udp), so a slow send or receive never makes the Go runtime hand its
// P to another thread.
//
// Receiving is polled: after a sub-tick's sends the pacer reads what waits on
// those sessions' sockets (udp.Socket, kept out of Go's netpoller), and runs
// their jitter-gap and media-timeout timers. A packet waits at most 20 ms in
// its socket; in exchange the arrival of a packet wakes no thread, and a
// thousand calls cost each pacer 200 wake-ups a second in all. While nothing is
// played, a session sends comfort silence frames unless Config.Silence is
// SilenceNone. The RTP timestamp advances 160 every tick whatever is sent,
// and the marker bit starts each talkspurt after a gap (RFC 3551 §4.1).
//
// What is received reaches the consumer on channels (Frames, Digits,
// Timeout), or, when Config.OnFrame, OnDigit or OnTimeout are set, through
// those hooks, called on the pacer's goroutine: a consumer with hooks needs
// no goroutine of its own per session. Hooks must not block, nor close
// their own session.
//
// Frames are delivered only for audio that arrives: while the far side
// suppresses silence (RFC 3551 §4.1) no frames come, so consumers time
// their no-input timeouts by the clock, not by counting frames.
//
// Pacing quality is measured, not assumed: Pacer.Lateness and
// Pacer.SendLateness keep fixed-bucket histograms of the absolute deviation
// of tick wake-ups and of packet writes from their deadlines. Go timers wake
// late (the netpoller sleeps in whole milliseconds), so the pacer aims its
// timer early by the learned median delay and the send times centre on the
// deadlines.
//
// The per-packet paths (receive, decode, send) do not allocate.
package rtp
