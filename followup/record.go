package followup

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

// RecordStatus is how far a resident's day got.
type RecordStatus uint8

// Record statuses, in increasing order of precedence: a merge keeps the
// highest one seen that day.
const (
	RecordUnreached RecordStatus = iota // called, never answered
	RecordPartial                       // answered, script not finished (hung up, wrong person, opted out)
	RecordCompleted                     // the script ran to its end
)

var recordStatusNames = [...]string{"unreached", "partial", "completed"}

// String returns "unreached", "partial" or "completed".
func (s RecordStatus) String() string {
	if int(s) < len(recordStatusNames) {
		return recordStatusNames[s]
	}
	return fmt.Sprintf("record_status(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s RecordStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *RecordStatus) UnmarshalText(b []byte) error {
	for i, n := range recordStatusNames {
		if n == string(b) {
			*s = RecordStatus(i)
			return nil
		}
	}
	return fmt.Errorf("parse record status %q: unknown", b)
}

// Call is what one attempt produced, as handed to followup after the call.
type Call struct {
	ResidentID  int64
	CommunityID int64 // 0 = unknown
	CampaignID  int64
	TaskID      int64
	AttemptID   int64 // 0 = unknown; otherwise a call is merged once
	Outcome     campaigns.Outcome
	Answered    bool
	Result      *ivr.Result // nil when the call was not answered
	End         time.Time   // when the call ended; its day (in the zone) is the record's day
}

// Record is one resident's health on one day: every call of the day merged.
// Answers holds the typed answers by key (bool, float64 or string; a later
// answer to the same key replaces an earlier one); the normalized fields are
// derived from Answers through a Mapping.
type Record struct {
	ResidentID  int64
	CommunityID int64
	Day         campaigns.Date
	Status      RecordStatus
	Outcome     campaigns.Outcome // of the last call merged
	OptedOut    bool

	Confirmed   YesNo   // the resident said it is them
	Temperature float64 // °C; 0 = not reported
	Symptoms    []string
	LeftHome    YesNo
	Contact     YesNo
	Needs       []Need

	Alerts  []string // alert kinds the script's rules raised, in first-seen order
	Flags   []string // every flag raised (alerts included)
	Answers map[string]any

	AttemptID     int64   // the attempt the latest answers came from
	Attempts      []int64 // every attempt merged, oldest first
	Calls         int     // calls merged (attempts with unknown id included)
	First, Last   time.Time
	ScriptID      string
	ScriptVersion int
}

// Answered reports whether anyone answered any call of the day.
func (r Record) Answered() bool { return r.Status >= RecordPartial }

// Reached reports whether the resident (not a wrong number or a relative)
// answered a call of the day.
func (r Record) Reached() bool { return r.Answered() && r.Confirmed != No }

// Abnormal reports whether the day's answers raised an alert.
func (r Record) Abnormal() bool { return len(r.Alerts) > 0 }

// Apply merges call c into r (the record of day d; a zero Record starts a
// new one) and re-derives the normalized fields through m. It reports
// whether anything changed: a call whose AttemptID was already merged
// changes nothing, so replaying a call is harmless.
func Apply(r Record, c Call, d campaigns.Date, m Mapping) (Record, bool) {
	if c.AttemptID != 0 && slices.Contains(r.Attempts, c.AttemptID) {
		return r, false
	}
	r = r.clone()
	if r.Calls == 0 {
		r.ResidentID, r.Day, r.First = c.ResidentID, d, c.End
	}
	if c.CommunityID != 0 {
		r.CommunityID = c.CommunityID
	}
	r.Calls++
	r.Last, r.Outcome = c.End, c.Outcome
	if c.AttemptID != 0 {
		r.Attempts = append(r.Attempts, c.AttemptID)
	}
	st := RecordUnreached
	if c.Answered || c.Result != nil {
		st = RecordPartial
	}
	if res := c.Result; res != nil {
		if res.Status == ivr.StatusCompleted {
			st = RecordCompleted
		}
		r.OptedOut = r.OptedOut || res.OptOut || res.Status == ivr.StatusOptedOut
		r.mergeResult(res, c.AttemptID)
	}
	r.Status = max(r.Status, st)
	m.normalize(&r)
	return r, true
}

func (r *Record) mergeResult(res *ivr.Result, attempt int64) {
	if len(res.Answers) > 0 {
		if r.Answers == nil {
			r.Answers = make(map[string]any, len(res.Answers))
		}
		for _, a := range res.Answers {
			r.Answers[a.Key] = a.Value
		}
		r.AttemptID = attempt
	}
	for _, a := range res.Alerts {
		r.Alerts = appendUnique(r.Alerts, a.Flag)
	}
	for _, f := range res.Flags {
		r.Flags = appendUnique(r.Flags, f)
	}
	if res.ScriptID != "" {
		r.ScriptID, r.ScriptVersion = res.ScriptID, res.ScriptVersion
	}
}

func (r Record) clone() Record {
	r.Symptoms = slices.Clone(r.Symptoms)
	r.Needs = slices.Clone(r.Needs)
	r.Alerts = slices.Clone(r.Alerts)
	r.Flags = slices.Clone(r.Flags)
	r.Attempts = slices.Clone(r.Attempts)
	r.Answers = maps.Clone(r.Answers)
	return r
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
