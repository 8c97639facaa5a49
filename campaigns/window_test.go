package campaigns

import (
	"testing"
	"time"
)

var (
	shanghai = mustLoc("Asia/Shanghai")
)

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func spans(t *testing.T, ss ...string) []Span {
	t.Helper()
	var out []Span
	for _, s := range ss {
		sp, err := ParseSpan(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sp)
	}
	return out
}

func TestWindowsNextDefault(t *testing.T) {
	w := DefaultWindows() // 2026-11-28 is a Saturday
	cases := []struct{ at, want string }{
		{"2026-11-28 07:59:59", "2026-11-28 08:00:00"},
		{"2026-11-28 08:00:00", "2026-11-28 08:00:00"},
		{"2026-11-28 12:00:00", "2026-11-28 12:00:00"},
		{"2026-11-28 19:59:59", "2026-11-28 19:59:59"},
		{"2026-11-28 20:00:00", "2026-11-29 08:00:00"}, // end is exclusive: next day's opening
		{"2026-11-28 23:59:59", "2026-11-29 08:00:00"},
		{"2026-12-31 21:00:00", "2027-01-01 08:00:00"}, // across the year
		{"2026-11-28 00:00:00", "2026-11-28 08:00:00"},
	}
	for _, tc := range cases {
		got, ok := w.Next(sh(tc.at))
		if !ok || !got.Equal(sh(tc.want)) {
			t.Errorf("Next(%s) = %s,%v; want %s", tc.at, got.In(shanghai), ok, tc.want)
		}
		if open := w.Open(sh(tc.at)); open != (tc.at == tc.want) {
			t.Errorf("Open(%s) = %v", tc.at, open)
		}
	}
}

func TestWindowsWeekdays(t *testing.T) {
	w := Windows{Location: shanghai}
	for d := time.Monday; d <= time.Friday; d++ {
		w.Days[d] = spans(t, "14:00-20:00", "08:00-12:00") // unsorted on purpose
	}
	w.Days[time.Saturday] = spans(t, "09:00-12:00") // Sunday closed
	cases := []struct{ at, want string }{
		{"2026-11-27 12:30:00", "2026-11-27 14:00:00"}, // Friday lunch break
		{"2026-11-27 11:59:59", "2026-11-27 11:59:59"},
		{"2026-11-27 12:00:00", "2026-11-27 14:00:00"},
		{"2026-11-27 20:00:00", "2026-11-28 09:00:00"}, // Friday night → Saturday's later opening
		{"2026-11-28 08:30:00", "2026-11-28 09:00:00"},
		{"2026-11-28 12:00:00", "2026-11-30 08:00:00"}, // Saturday noon → skip Sunday → Monday
		{"2026-11-29 10:00:00", "2026-11-30 08:00:00"}, // Sunday
	}
	for _, tc := range cases {
		got, ok := w.Next(sh(tc.at))
		if !ok || !got.Equal(sh(tc.want)) {
			t.Errorf("Next(%s) = %s,%v; want %s", tc.at, got.In(shanghai), ok, tc.want)
		}
	}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestWindowsZones(t *testing.T) {
	shw := DefaultWindows()
	utw := DefaultWindows()
	utw.Location = time.UTC
	cases := []struct {
		name     string
		w        Windows
		at, want time.Time
	}{
		{"08:30 Shanghai is open", shw, utc("2026-11-28 00:30:00"), utc("2026-11-28 00:30:00")},
		{"00:30 UTC is closed", utw, utc("2026-11-28 00:30:00"), utc("2026-11-28 08:00:00")},
		{"20:30 Shanghai waits", shw, utc("2026-11-28 12:30:00"), utc("2026-11-29 00:00:00")},
		{"12:30 UTC is open", utw, utc("2026-11-28 12:30:00"), utc("2026-11-28 12:30:00")},
	}
	for _, tc := range cases {
		got, ok := tc.w.Next(tc.at)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("%s: Next = %s, want %s", tc.name, got.UTC(), tc.want)
		}
	}
}

func TestWindowsForbiddenDates(t *testing.T) {
	w := DefaultWindows()
	for d := 1; d <= 7; d++ { // National Day holidays
		w.Forbidden = append(w.Forbidden, Date{2026, time.October, d})
	}
	cases := []struct {
		at   time.Time
		want time.Time
	}{
		{sh("2026-09-30 19:00:00"), sh("2026-09-30 19:00:00")},
		{sh("2026-09-30 20:00:00"), sh("2026-10-08 08:00:00")},
		{sh("2026-10-03 10:00:00"), sh("2026-10-08 08:00:00")},
		// 23:00 UTC on 30 Sep is 07:00 on 1 Oct in Shanghai: forbidden there.
		{utc("2026-09-30 23:00:00"), sh("2026-10-08 08:00:00")},
	}
	for _, tc := range cases {
		got, ok := w.Next(tc.at)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("Next(%s) = %s, want %s", tc.at, got.In(shanghai), tc.want)
		}
	}
	if d, err := ParseDate("2026-10-01"); err != nil || !w.forbidden(d) {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
}

func TestWindowsNeverOpen(t *testing.T) {
	w := Windows{Location: time.UTC}
	if _, ok := w.Next(utc("2026-11-28 10:00:00")); ok {
		t.Fatal("closed calendar reported an opening")
	}
}

func TestParseSpan(t *testing.T) {
	good := map[string]Span{"08:00-20:00": {480, 1200}, "00:00-24:00": {0, 1440}, "9:05-9:06": {545, 546}, " 08:00 - 12:00 ": {480, 720}}
	for in, want := range good {
		got, err := ParseSpan(in)
		if err != nil || got != want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "20:00-08:00", "08:00-08:00", "08:60-09:00", "08:00-24:01", "x", "08:00-20:00x", "8:5-9:00", "+8:00-9:00", "08:00-2:000"} {
		if _, err := ParseSpan(in); err == nil {
			t.Errorf("ParseSpan(%q) accepted", in)
		}
	}
	if s := (Span{480, 1200}).String(); s != "08:00-20:00" {
		t.Errorf("String = %q", s)
	}
}

func FuzzParseSpan(f *testing.F) {
	for _, s := range []string{"08:00-20:00", "00:00-24:00", "9:5-9:6", "20:00-08:00", "-1:00-02:00", "08:00-20:00x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpan(s)
		if err != nil {
			return
		}
		if sp.From < 0 || sp.To > 24*60 || sp.From >= sp.To {
			t.Fatalf("ParseSpan(%q) = %+v: invalid span accepted", s, sp)
		}
		again, err := ParseSpan(sp.String())
		if err != nil || again != sp {
			t.Fatalf("round trip %q → %q: %+v %v", s, sp.String(), again, err)
		}
	})
}
