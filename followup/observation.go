package followup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"outreach/campaigns"
)

// Observation is a period of home health observation. The resident is
// called every day from Start to Release, both inclusive (Release is the
// last day of observation; zero = open-ended), at CallTimes ("09:00",
// "16:00"; empty = at every occurrence of the check-up campaign). From the
// day after Release the resident is released and no longer called. This
// matches storage.UnderObservation (start <= day <= release).
type Observation struct {
	ID          int64
	ResidentID  int64
	CommunityID int64
	Reason      string
	Start       campaigns.Date
	Release     campaigns.Date
	CallTimes   []string
}

// ObservationStore keeps observation periods.
type ObservationStore interface {
	AddObservation(ctx context.Context, o Observation) (int64, error)
	// SetRelease changes the last day of observation id (ErrNotFound wrapped).
	SetRelease(ctx context.Context, id int64, release campaigns.Date) error
}

// OpenEnded reports whether the period has no release date.
func (o Observation) OpenEnded() bool { return o.Release == (campaigns.Date{}) }

// Validate checks the dates and call times.
func (o Observation) Validate() error {
	if o.ResidentID == 0 {
		return errors.New("observation: resident: missing")
	}
	if o.Start == (campaigns.Date{}) {
		return errors.New("observation: start: missing")
	}
	if !o.OpenEnded() && CompareDays(o.Release, o.Start) < 0 {
		return fmt.Errorf("observation: release %s is before start %s", o.Release, o.Start)
	}
	if _, err := ParseCallTimes(strings.Join(o.CallTimes, ",")); err != nil {
		return fmt.Errorf("observation: %w", err)
	}
	return nil
}

// Active reports whether the resident is under observation on day d.
func (o Observation) Active(d campaigns.Date) bool {
	return CompareDays(o.Start, d) <= 0 && (o.OpenEnded() || CompareDays(d, o.Release) <= 0)
}

// Released reports whether the period is over on day d (d is after Release).
func (o Observation) Released(d campaigns.Date) bool {
	return !o.OpenEnded() && CompareDays(d, o.Release) > 0
}

// End ends the period early as of today: the resident is not called today
// or later (Release becomes yesterday, never later than it was).
func (o Observation) End(today campaigns.Date) Observation {
	last := AddDays(today, -1)
	if o.OpenEnded() || CompareDays(last, o.Release) < 0 {
		o.Release = last
	}
	return o
}

// CallsAt reports whether the resident is to be called at instant t (an
// occurrence of the check-up campaign): active on t's day in loc and, if
// CallTimes are set, t's clock time is one of them (to the minute).
func (o Observation) CallsAt(t time.Time, loc *time.Location) bool {
	if loc == nil {
		loc = Location("")
	}
	lt := t.In(loc)
	if !o.Active(campaigns.DateOf(lt)) {
		return false
	}
	return len(o.CallTimes) == 0 || slices.Contains(o.CallTimes, lt.Format("15:04"))
}

// DayPlan is who is called on a day and who is released.
type DayPlan struct {
	Day      campaigns.Date
	Due      []Observation // active on Day
	Released []Observation // Release is before Day: no longer called
	Upcoming []Observation // Start is after Day
}

// Plan sorts observation periods for day d.
func Plan(d campaigns.Date, obs []Observation) DayPlan {
	p := DayPlan{Day: d}
	for _, o := range obs {
		switch {
		case o.Active(d):
			p.Due = append(p.Due, o)
		case o.Released(d):
			p.Released = append(p.Released, o)
		default:
			p.Upcoming = append(p.Upcoming, o)
		}
	}
	return p
}

// DueAt lists the periods whose resident is called at occurrence t.
func DueAt(t time.Time, loc *time.Location, obs []Observation) []Observation {
	var out []Observation
	for _, o := range obs {
		if o.CallsAt(t, loc) {
			out = append(out, o)
		}
	}
	return out
}

// ParseCallTimes reads "09:00,16:00" into sorted, de-duplicated "HH:MM".
func ParseCallTimes(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		t, err := time.Parse("15:04", f)
		if err != nil {
			return nil, fmt.Errorf("call time %q: want HH:MM", f)
		}
		out = appendUnique(out, t.Format("15:04"))
	}
	slices.Sort(out)
	return out, nil
}

// CheckupSchedule is the recurring schedule of the check-up campaign that
// calls everyone under observation: one cron line per distinct call time of
// obs (defaults used when none has call times), in zone tz.
func CheckupSchedule(obs []Observation, defaults []string, tz string) (campaigns.Schedule, error) {
	var times []string
	for _, o := range obs {
		for _, t := range o.CallTimes {
			times = appendUnique(times, t)
		}
	}
	if len(times) == 0 {
		times = defaults
	}
	times, err := ParseCallTimes(strings.Join(times, ","))
	if err != nil {
		return campaigns.Schedule{}, fmt.Errorf("checkup schedule: %w", err)
	}
	if len(times) == 0 {
		return campaigns.Schedule{}, errors.New("checkup schedule: no call times")
	}
	if tz == "" {
		tz = campaigns.DefaultTimezone
	}
	s := campaigns.Schedule{Timezone: tz}
	for _, t := range times {
		var h, m int
		fmt.Sscanf(t, "%d:%d", &h, &m)
		s.Cron = append(s.Cron, fmt.Sprintf("%d %d * * *", m, h))
	}
	return s, nil
}

// Observe validates o and stores it: the resident joins the check-up
// campaign (TargetObservation) from o.Start. Call times are normalized.
func Observe(ctx context.Context, st ObservationStore, o Observation) (Observation, error) {
	times, err := ParseCallTimes(strings.Join(o.CallTimes, ","))
	if err != nil {
		return o, fmt.Errorf("observe resident %d: %w", o.ResidentID, err)
	}
	o.CallTimes = times
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("observe resident %d: %w", o.ResidentID, err)
	}
	if o.ID, err = st.AddObservation(ctx, o); err != nil {
		return o, fmt.Errorf("observe resident %d: %w", o.ResidentID, err)
	}
	return o, nil
}

// EndObservation ends o early as of today and stores the new release date.
func EndObservation(ctx context.Context, st ObservationStore, o Observation, today campaigns.Date) (Observation, error) {
	o = o.End(today)
	if err := st.SetRelease(ctx, o.ID, o.Release); err != nil {
		return o, fmt.Errorf("end observation %d: %w", o.ID, err)
	}
	return o, nil
}
