package campaigns

import (
	"context"
	"errors"
	"testing"
	"time"
)

// ruleFake is an in-memory RuleStore.
type ruleFake struct {
	hist      NumberHistory
	dnc       bool
	completed bool
	err       error
	gotDay    time.Time
}

func (f *ruleFake) NumberHistory(_ context.Context, _ string, day time.Time) (NumberHistory, error) {
	f.gotDay = day
	return f.hist, f.err
}
func (f *ruleFake) DoNotCall(context.Context, string) (bool, error) { return f.dnc, nil }
func (f *ruleFake) CompletedToday(context.Context, int64, int64, time.Time) (bool, error) {
	return f.completed, nil
}

func TestRulesCheck(t *testing.T) {
	r := DefaultRules() // 08–20 Shanghai, cap 3, spacing 5 min
	r.Windows.Forbidden = []Date{{2026, time.December, 1}}
	task := Task{ID: 1, CampaignID: 2, ResidentID: 3, Phone: "138 1234 5678"}
	noon := sh("2026-11-28 12:00:00")
	cases := []struct {
		name    string
		phone   string
		now     time.Time
		store   ruleFake
		verdict RuleVerdict
		reason  RuleReason
		at      time.Time
	}{
		{"allowed", "", noon, ruleFake{}, RuleAllow, ReasonNone, time.Time{}},
		{"emergency number", "110", noon, ruleFake{}, RuleRefuse, ReasonDialPlan, time.Time{}},
		{"international", "+1 650 253 0000", noon, ruleFake{}, RuleRefuse, ReasonDialPlan, time.Time{}},
		{"do not call", "", noon, ruleFake{dnc: true}, RuleRefuse, ReasonDoNotCall, time.Time{}},
		{"completed today", "", noon, ruleFake{completed: true}, RuleRefuse, ReasonCompletedToday, time.Time{}},
		{"before window", "", sh("2026-11-28 07:00:00"), ruleFake{}, RuleDefer, ReasonWindow, sh("2026-11-28 08:00:00")},
		{"at close", "", sh("2026-11-28 20:00:00"), ruleFake{}, RuleDefer, ReasonWindow, sh("2026-11-29 08:00:00")},
		{"forbidden date", "", sh("2026-11-30 20:30:00"), ruleFake{}, RuleDefer, ReasonWindow, sh("2026-12-02 08:00:00")},
		{"cap reached", "", noon, ruleFake{hist: NumberHistory{Attempts: 3}}, RuleDefer, ReasonDailyCap, sh("2026-11-29 08:00:00")},
		{"under cap", "", noon, ruleFake{hist: NumberHistory{Attempts: 2}}, RuleAllow, ReasonNone, time.Time{}},
		{"too soon", "", noon, ruleFake{hist: NumberHistory{Attempts: 1, Last: noon.Add(-4 * time.Minute)}}, RuleDefer, ReasonSpacing, noon.Add(time.Minute)},
		{"spacing exactly met", "", noon, ruleFake{hist: NumberHistory{Attempts: 1, Last: noon.Add(-5 * time.Minute)}}, RuleAllow, ReasonNone, time.Time{}},
		{"spacing past close", "", sh("2026-11-28 19:58:00"), ruleFake{hist: NumberHistory{Last: sh("2026-11-28 19:57:00")}}, RuleDefer, ReasonSpacing, sh("2026-11-29 08:00:00")},
	}
	for _, tc := range cases {
		tk := task
		if tc.phone != "" {
			tk.Phone = tc.phone
		}
		st := tc.store
		d, err := r.Check(context.Background(), &st, tk, tc.now)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Verdict != tc.verdict || d.Reason != tc.reason || !d.At.Equal(tc.at) {
			t.Errorf("%s: got %+v (at %s), want verdict %d reason %s at %s", tc.name, d, d.At.In(shanghai), tc.verdict, tc.reason, tc.at)
		}
		if tc.verdict == RuleAllow && d.Phone != "+8613812345678" {
			t.Errorf("%s: phone %q not normalized", tc.name, d.Phone)
		}
	}
}

func TestRulesDayInZone(t *testing.T) {
	r := DefaultRules()
	st := &ruleFake{}
	// 01:00 UTC is 09:00 in Shanghai: the cap day starts at Shanghai midnight.
	if _, err := r.Check(context.Background(), st, Task{Phone: "13812345678"}, utc("2026-11-28 01:00:00")); err != nil {
		t.Fatal(err)
	}
	if !st.gotDay.Equal(sh("2026-11-28 00:00:00")) {
		t.Fatalf("day start = %s, want Shanghai midnight", st.gotDay)
	}
	st.err = errors.New("db down")
	if _, err := r.Check(context.Background(), st, Task{Phone: "13812345678"}, utc("2026-11-28 01:00:00")); !errors.Is(err, st.err) {
		t.Fatalf("store error not wrapped: %v", err)
	}
}
