package campaigns

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule says when a campaign's runs happen: once at At, or at every
// occurrence of the cron specs (standard 5 fields, read in Timezone) between
// From and Until. "09:00 and 16:00 every day" is Cron: {"0 9 * * *", "0 16 * * *"}.
// Who is called on each run is the Target's business (TargetObservation picks
// everyone under observation on that day, so a resident drops out after the
// release date).
type Schedule struct {
	At       time.Time // one-off run; used when Cron is empty
	Cron     []string
	Timezone string    // IANA zone; empty means Asia/Shanghai
	From     time.Time // no occurrence before (zero = unbounded)
	Until    time.Time // no occurrence after (zero = unbounded)
	// OnLaunch marks a one-off "run now" campaign: launching it moves At to
	// the launch time, so a draft launched hours or days after it was
	// created runs then, for that day's residents.
	OnLaunch bool `json:",omitempty"`
}

// Recurring reports whether the schedule uses cron specs.
func (s Schedule) Recurring() bool { return len(s.Cron) > 0 }

func (s Schedule) specs() ([]cron.Schedule, error) {
	tz := s.Timezone
	if tz == "" {
		tz = DefaultTimezone
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return nil, fmt.Errorf("schedule: timezone %q: %w", tz, err)
	}
	out := make([]cron.Schedule, 0, len(s.Cron))
	for _, spec := range s.Cron {
		cs, err := cron.ParseStandard("CRON_TZ=" + tz + " " + spec)
		if err != nil {
			return nil, fmt.Errorf("schedule: cron %q: %w", spec, err)
		}
		out = append(out, cs)
	}
	return out, nil
}

// Validate parses every cron spec and the zone.
func (s Schedule) Validate() error {
	if !s.Recurring() && s.At.IsZero() {
		return fmt.Errorf("schedule: neither at nor cron set")
	}
	_, err := s.specs()
	return err
}

// maxOccurrences bounds one Occurrences call (a year of every-minute specs is a bug).
const maxOccurrences = 10000

// Occurrences returns the run times t with after < t <= upTo, sorted and
// de-duplicated (two specs firing at the same instant give one run).
func (s Schedule) Occurrences(after, upTo time.Time) ([]time.Time, error) {
	inRange := func(t time.Time) bool {
		return t.After(after) && !t.After(upTo) &&
			(s.From.IsZero() || !t.Before(s.From)) && (s.Until.IsZero() || !t.After(s.Until))
	}
	if !s.Recurring() {
		if !s.At.IsZero() && inRange(s.At) {
			return []time.Time{s.At}, nil
		}
		return nil, nil
	}
	specs, err := s.specs()
	if err != nil {
		return nil, err
	}
	var out []time.Time
	cur := after
	for len(out) < maxOccurrences {
		var next time.Time
		for _, sp := range specs {
			n := sp.Next(cur)
			if !n.IsZero() && (next.IsZero() || n.Before(next)) {
				next = n
			}
		}
		if next.IsZero() || next.After(upTo) || (!s.Until.IsZero() && next.After(s.Until)) {
			break
		}
		if inRange(next) {
			out = append(out, next)
		}
		cur = next
	}
	return out, nil
}
