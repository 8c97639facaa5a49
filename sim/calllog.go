package sim

import (
	"sync"
	"time"
)

// Who ended a call, for CallLog.EndedBy.
const (
	EndedByCaller = "caller" // the caller sent BYE (or the call failed on its side)
	EndedByCallee = "callee" // the persona sent BYE or a final non-2xx response
	EndedByCancel = "cancel" // the caller sent CANCEL before the answer
)

// CallLog is the record of one incoming INVITE and the call it started.
type CallLog struct {
	Number   string // dialed number (request-URI user); never log it unmasked
	CallID   string
	Persona  string
	Kind     Kind
	Status   int // final response sent to the INVITE (0 while ringing)
	InviteAt time.Time
	AnswerAt time.Time // zero if never answered
	EndAt    time.Time // zero while the call is live
	Answered bool
	EndedBy  string // EndedByCaller, EndedByCallee or EndedByCancel
	// DigitsSent are the keys the persona started to press, in order.
	DigitsSent string
	Said       int // spoken answers played (script steps with say:)
	// HeardSamples counts the decoded 8 kHz samples received from the caller.
	HeardSamples int
	// HeardEnergyDBFS is the mean level of the audible frames (above
	// AudibleDBFS), -120 if nothing audible was heard.
	HeardEnergyDBFS float64
	// HeardDuration is the total duration of the audible frames.
	HeardDuration time.Duration
	// Prompts counts prompt ends detected (audio then PromptGap of silence).
	Prompts int
	// Heard holds the decoded incoming audio when Config.Record is set.
	Heard []int16
	// WAVPath is the recording written under Config.RecordDir, if any.
	WAVPath string
	// Err is the reason a call failed inside the simulator (SDP, media, SIP).
	Err string
	// Finished is set once the log is final: media closed, hearing
	// statistics and recording filled in (shortly after EndAt).
	Finished bool
}

// Live reports whether the call has not ended yet (EndAt is set as soon as
// the call ends, before its log is Finished).
func (c CallLog) Live() bool { return c.EndAt.IsZero() }

// registry keeps the call logs, the per-number INVITE counts and the live
// call gauge.
type registry struct {
	mu      sync.Mutex
	calls   []*CallLog
	byID    map[string]*CallLog
	invites map[string]map[string]struct{} // number → set of Call-ID+CSeq
	live    int
	peak    int
	keep    int // MaxLogs; 0 keeps every log
}

func newRegistry(keep int) *registry {
	return &registry{byID: map[string]*CallLog{}, invites: map[string]map[string]struct{}{}, keep: keep}
}

// compact drops the oldest finished logs so that about keep remain; live
// calls are always kept. Called with r.mu held.
func (r *registry) compact() {
	drop := len(r.calls) - r.keep
	out := r.calls[:0]
	for _, c := range r.calls {
		if drop > 0 && c.Finished {
			drop--
			if r.byID[c.CallID] == c {
				delete(r.byID, c.CallID)
			}
			continue
		}
		out = append(out, c)
	}
	clear(r.calls[len(out):])
	r.calls = out
}

// lookup returns a copy of the log of callID.
func (r *registry) lookup(callID string) (CallLog, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.byID[callID]
	if !ok {
		return CallLog{}, false
	}
	out := *c
	out.Heard = append([]int16(nil), c.Heard...)
	return out, true
}

// idle reports whether no call is live or unfinished.
func (r *registry) idle() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.live > 0 {
		return false
	}
	for i := len(r.calls) - 1; i >= 0; i-- {
		if !r.calls[i].Finished {
			return false
		}
	}
	return true
}

// countInvite records an INVITE; retransmissions (same Call-ID and CSeq)
// count once. It reports whether this INVITE is new.
func (r *registry) countInvite(number, callID string, cseq uint32) bool {
	key := callID + "\x00" + uitoa(cseq)
	r.mu.Lock()
	defer r.mu.Unlock()
	set := r.invites[number]
	if set == nil {
		set = map[string]struct{}{}
		r.invites[number] = set
	}
	if _, dup := set[key]; dup {
		return false
	}
	set[key] = struct{}{}
	return true
}

// begin adds a live call; false if the Call-ID is already live.
func (r *registry) begin(c *CallLog) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.byID[c.CallID]; ok && old.Live() {
		return false
	}
	r.calls = append(r.calls, c)
	r.byID[c.CallID] = c
	if r.keep > 0 && len(r.calls) >= 2*r.keep {
		r.compact()
	}
	r.live++
	r.peak = max(r.peak, r.live)
	return true
}

// update runs f on the call's log under the lock.
func (r *registry) update(c *CallLog, f func(c *CallLog)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(c)
}

// end closes a live call once.
func (r *registry) end(c *CallLog, at time.Time, by string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !c.EndAt.IsZero() {
		return
	}
	c.EndAt = at
	c.EndedBy = by
	r.live--
}

// endByCallID ends the live call with callID, if any.
func (r *registry) endByCallID(callID string, at time.Time, by string) {
	r.mu.Lock()
	c := r.byID[callID]
	r.mu.Unlock()
	if c != nil {
		r.end(c, at, by)
	}
}

func (r *registry) snapshot() []CallLog {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]CallLog, len(r.calls))
	for i, c := range r.calls {
		out[i] = *c
		out[i].Heard = append([]int16(nil), c.Heard...)
	}
	return out
}

func (r *registry) inviteCount(number string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.invites[number])
}

func (r *registry) concurrent() (now, peak int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.live, r.peak
}

func uitoa(v uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
