package sdp

import "strings"

// Session descriptions as real peers send them. crlf turns the readable LF
// form into the CRLF of the wire.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// FreeSWITCH answering an A-law offer.
var sampleFreeSWITCH = crlf(`v=0
o=FreeSWITCH 1700000000 1700000001 IN IP4 192.168.1.10
s=FreeSWITCH
c=IN IP4 192.168.1.10
t=0 0
m=audio 24580 RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=sendrecv
a=rtcp:24581 IN IP4 192.168.1.10
`)

// sipp's default uac/uas scenario answer ("m=audio [media_port] RTP/AVP 0").
var sampleSipp = crlf(`v=0
o=user1 53655765 2353687637 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio 6000 RTP/AVP 0
a=rtpmap:0 PCMU/8000
`)

// sipp with play_dtmf: telephone-event at 96, LF line endings.
var sampleSippEvents96 = `v=0
o=user1 53655765 2353687637 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio 6002 RTP/AVP 8 96
a=rtpmap:8 PCMA/8000
a=rtpmap:96 telephone-event/8000
a=fmtp:96 0-15
`

// Relayed by Kamailio with rtpengine: the media-level c= (the relay) wins
// over the session-level one.
var sampleKamailio = crlf(`v=0
o=- 3912345678 3912345679 IN IP4 203.0.113.5
s=-
c=IN IP4 203.0.113.5
t=0 0
m=audio 30000 RTP/AVP 8 0 101
c=IN IP4 198.51.100.20
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
a=rtcp:30001
a=ptime:20
`)

// Asterisk (chan_pjsip) preferring µ-law, with a=maxptime.
var sampleAsterisk = crlf(`v=0
o=- 1234 1236 IN IP4 10.0.0.5
s=Asterisk
c=IN IP4 10.0.0.5
t=0 0
m=audio 15022 RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendrecv
`)

// A carrier gateway over IPv6 with static types only, session-level
// direction and ptime, and a b= line.
var sampleIPv6 = `v=0
o=gw 42 42 IN IP6 2001:db8::10
s=call
c=IN IP6 2001:db8::20
b=AS:64
t=0 0
a=recvonly
a=ptime:30
m=audio 40000 RTP/AVP 8 0
`

// A video stream first, an SRTP audio stream rejected, then plain audio.
var sampleMulti = crlf(`v=0
o=- 7 8 IN IP4 192.0.2.1
s=-
c=IN IP4 192.0.2.1
t=0 0
m=video 5006 RTP/AVP 96
a=rtpmap:96 H264/90000
a=sendonly
m=audio 0 RTP/SAVP 8
m=audio 5004 RTP/AVP 18 8 101
a=rtpmap:18 G729/8000
a=rtpmap:101 telephone-event/8000
a=inactive
`)

// A G.729-only answer.
var sampleG729 = crlf(`v=0
o=- 1 1 IN IP4 192.0.2.9
s=-
c=IN IP4 192.0.2.9
t=0 0
m=audio 7000 RTP/AVP 18
a=rtpmap:18 G729/8000
`)

// The audio stream rejected by port 0 (RFC 3264 §6).
var sampleRejected = crlf(`v=0
o=- 1 2 IN IP4 192.0.2.9
s=-
c=IN IP4 192.0.2.9
t=0 0
m=audio 0 RTP/AVP 8
`)

// An RFC 2543 style hold: c=0.0.0.0.
var sampleHold = crlf(`v=0
o=- 1 3 IN IP4 192.0.2.9
s=-
c=IN IP4 0.0.0.0
t=0 0
m=audio 7000 RTP/AVP 8
`)
