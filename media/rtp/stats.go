package rtp

import "sync/atomic"

// Stats are the counters of one session.
type Stats struct {
	PacketsIn, BytesIn   uint64 // every datagram received, valid or not
	PacketsOut, BytesOut uint64 // RTP packets sent
	Ignored              uint64 // not RTP v2, too short, RTCP (RFC 5761 §4), malformed, oversized
	UnknownPT            uint64 // valid RTP with a payload type that is neither audio nor event
	Duplicates           uint64 // audio packets received twice
	Late                 uint64 // audio packets arriving after their slot was played out
	Reordered            uint64 // audio packets arriving out of order but in time
	Lost                 uint64 // audio sequence numbers never received (skipped)
	OtherSSRC            uint64 // audio packets of a second concurrent audio SSRC
	DroppedFrames        uint64 // decoded frames dropped because the Frames reader was slow (or OnFrame said so)
	DroppedDigits        uint64 // digits dropped because the Digits reader was slow (or OnDigit said so)
	Digits               uint64 // digits reported
	Relatched            uint64 // send address moved to a new source (symmetric RTP)
	SendErrors           uint64 // packets the socket refused or that had no destination yet
}

// counters is the live, concurrently updated form of Stats.
type counters struct {
	packetsIn, bytesIn, packetsOut, bytesOut atomic.Uint64
	ignored, unknownPT                       atomic.Uint64
	duplicates, late, reordered, lost        atomic.Uint64
	otherSSRC, droppedFrames, droppedDigits  atomic.Uint64
	digits, relatched, sendErrors            atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		PacketsIn: c.packetsIn.Load(), BytesIn: c.bytesIn.Load(),
		PacketsOut: c.packetsOut.Load(), BytesOut: c.bytesOut.Load(),
		Ignored: c.ignored.Load(), UnknownPT: c.unknownPT.Load(),
		Duplicates: c.duplicates.Load(), Late: c.late.Load(),
		Reordered: c.reordered.Load(), Lost: c.lost.Load(),
		OtherSSRC: c.otherSSRC.Load(), DroppedFrames: c.droppedFrames.Load(),
		DroppedDigits: c.droppedDigits.Load(), Digits: c.digits.Load(),
		Relatched: c.relatched.Load(), SendErrors: c.sendErrors.Load(),
	}
}
