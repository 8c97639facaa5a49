package campaigns

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultTimezone is the zone windows are read in when none is configured.
const DefaultTimezone = "Asia/Shanghai"

// Span is an opening within one day, in minutes after local midnight:
// From is inclusive, To exclusive, 0 <= From < To <= 24*60.
type Span struct {
	From, To int
}

// ParseSpan reads "08:00-20:00" (hours of one or two digits, minutes of two).
func ParseSpan(s string) (Span, error) {
	var fh, fm, th, tm int
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok || !parseHM(strings.TrimSpace(from), &fh, &fm) || !parseHM(strings.TrimSpace(to), &th, &tm) {
		return Span{}, fmt.Errorf("parse window %q: want HH:MM-HH:MM", s)
	}
	sp := Span{From: fh*60 + fm, To: th*60 + tm}
	if err := sp.validate(); err != nil {
		return Span{}, fmt.Errorf("parse window %q: %w", s, err)
	}
	return sp, nil
}

// parseHM reads "8:05" or "08:05" (minutes 00-59, hours 0-24).
func parseHM(s string, h, m *int) bool {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return false
	}
	var err1, err2 error
	*h, err1 = strconv.Atoi(hs)
	*m, err2 = strconv.Atoi(ms)
	return err1 == nil && err2 == nil && hs[0] != '+' && hs[0] != '-' && ms[0] != '+' && ms[0] != '-' &&
		*h >= 0 && *h <= 24 && *m >= 0 && *m <= 59
}

func (s Span) validate() error {
	if s.From < 0 || s.To > 24*60 || s.From >= s.To {
		return errors.New("need 00:00 <= from < to <= 24:00")
	}
	return nil
}

// String formats the span as "08:00-20:00".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// Date is a calendar day, read in the windows' zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "2026-10-01".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// DateOf returns t's calendar day in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String formats the date as "2026-10-01".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Windows are the calling hours per weekday, the forbidden dates (holidays)
// and the zone both are read in.
type Windows struct {
	Days      [7][]Span // indexed by time.Weekday; an empty day is closed
	Forbidden []Date
	Location  *time.Location // nil means Asia/Shanghai, or UTC if the zone database is missing
}

// DefaultWindows opens 08:00–20:00 every day in Asia/Shanghai.
func DefaultWindows() Windows { return dailyWindows(Span{From: 8 * 60, To: 20 * 60}) }

// AllDayWindows is open around the clock, every day (demos and tests; real
// campaigns keep DefaultWindows).
func AllDayWindows() Windows { return dailyWindows(Span{From: 0, To: 24 * 60}) }

func dailyWindows(s Span) Windows {
	var w Windows
	for d := range w.Days {
		w.Days[d] = []Span{s}
	}
	w.Location = loadLocation(DefaultTimezone)
	return w
}

func loadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600) // Asia/Shanghai has had no DST since 1991
	}
	return loc
}

func (w Windows) loc() *time.Location {
	if w.Location == nil {
		return loadLocation(DefaultTimezone)
	}
	return w.Location
}

// Validate checks the spans of every day.
func (w Windows) Validate() error {
	for d, spans := range w.Days {
		for _, s := range spans {
			if err := s.validate(); err != nil {
				return fmt.Errorf("windows %s %s: %w", time.Weekday(d), s, err)
			}
		}
	}
	return nil
}

func (w Windows) forbidden(d Date) bool { return slices.Contains(w.Forbidden, d) }

// maxScanDays bounds the search for the next opening (a year of holidays).
const maxScanDays = 400

// Next returns the earliest instant at or after t when calling is allowed:
// t itself when t is inside a window, otherwise the next window's opening
// (possibly on a later day, skipping closed weekdays and forbidden dates).
// ok is false when no window opens within a year.
func (w Windows) Next(t time.Time) (next time.Time, ok bool) {
	loc := w.loc()
	lt := t.In(loc)
	y, m, d := lt.Date()
	for i := 0; i < maxScanDays; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		if w.forbidden(DateOf(day)) {
			continue
		}
		spans := slices.Clone(w.Days[day.Weekday()])
		slices.SortFunc(spans, func(a, b Span) int { return a.From - b.From })
		for _, s := range spans {
			start := at(day, s.From, loc)
			end := at(day, s.To, loc)
			if lt.Before(end) {
				if lt.Before(start) {
					return start, true
				}
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// Open reports whether calling is allowed at t.
func (w Windows) Open(t time.Time) bool {
	n, ok := w.Next(t)
	return ok && n.Equal(t)
}

// Day returns t's calendar day in the windows' zone.
func (w Windows) Day(t time.Time) Date { return DateOf(t.In(w.loc())) }

// DayStart returns local midnight of t's day in the windows' zone.
func (w Windows) DayStart(t time.Time) time.Time {
	lt := t.In(w.loc())
	y, m, d := lt.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, w.loc())
}

func at(day time.Time, minutes int, loc *time.Location) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, minutes/60, minutes%60, 0, 0, loc)
}
