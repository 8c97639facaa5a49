// Package dialer is Outreach's only SIP client. It places outbound calls
// through configured trunks with github.com/emiago/sipgo: INVITE with an SDP
// offer, digest authentication (RFC 3261 §22), provisional responses and early
// media (RFC 3261 §13.2.2.1, RFC 3960), CANCEL on ring timeout (§9.1), ACK for
// every 2xx (§13.2.2.4), BYE from either side (§15), session refreshes from the
// far side (re-INVITE §14, UPDATE RFC 3311), DTMF by RFC 4733 and SIP INFO,
// REFER transfers (RFC 3515), optional REGISTER (§10) and OPTIONS health checks
// (§11). Every final response maps to one Outcome through a single table.
//
// Over UDP the dialer runs its client transactions itself (udptx.go, RFC 3261
// §17.1): requests go straight to the socket and are retransmitted on Timer A
// or E, responses are matched by Via branch and CSeq method as the socket is
// read (sendBatch.take; in the read filter when the send window is off),
// before sipgo parses them, and reach the waiting call on a channel.
// Provisional responses without a body and BYE's final response are only
// scanned, a 2xx is parsed for the headers the dialog needs, and the ACK of a
// 2xx and the BYE are written from the dialog's rendered lines. sipgo keeps
// the server side (requests from the trunk), CANCEL, OPTIONS, REGISTER and
// the TCP and TLS transports. On the development machine this took call
// setup from 167 to 61-78 µs of CPU per call on two Ps, 36-65 on the one P a
// lightly loaded robot runs on (package procs), with the robot's GC target
// (DefaultGCPercent); sipp took 34-53 (see the README's Benchmarks).
//
// The robot's SIP port is not a public service: it answers only in-dialog
// requests and OPTIONS that come from its trunks' addresses; everything else is
// dropped without a response. Values supplied by callers are checked for
// control characters before anything is sent, and every log line, including
// sipgo's own, passes through a masking handler so phone numbers never appear
// in clear.
package dialer
