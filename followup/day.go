package followup

import (
	"time"

	"outreach/campaigns"
)

// Location loads the named zone; "" means Asia/Shanghai. Without a zone
// database it falls back to UTC+8, which is exact for Asia/Shanghai (no DST
// since 1991).
func Location(name string) *time.Location {
	if name == "" {
		name = campaigns.DefaultTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// DayOf returns the calendar day of t in loc (nil = Asia/Shanghai).
func DayOf(t time.Time, loc *time.Location) campaigns.Date {
	if loc == nil {
		loc = Location("")
	}
	return campaigns.DateOf(t.In(loc))
}

// AddDays returns d moved by n days (n may be negative).
func AddDays(d campaigns.Date, n int) campaigns.Date {
	return campaigns.DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// CompareDays returns -1, 0 or +1 as a is before, equal to or after b.
func CompareDays(a, b campaigns.Date) int {
	switch {
	case a.Year != b.Year:
		return sign(a.Year - b.Year)
	case a.Month != b.Month:
		return sign(int(a.Month) - int(b.Month))
	default:
		return sign(a.Day - b.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Midnight returns the first instant of day d in loc (nil = Asia/Shanghai).
func Midnight(d campaigns.Date, loc *time.Location) time.Time {
	if loc == nil {
		loc = Location("")
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}
