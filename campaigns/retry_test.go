package campaigns

import (
	"testing"
	"time"
)

func TestRetryDefaults(t *testing.T) {
	p := DefaultRetryPolicy()
	w := DefaultWindows()
	end := sh("2026-11-28 10:00:00")
	rep := func(o Outcome, n int) []Outcome {
		out := make([]Outcome, n)
		for i := range out {
			out[i] = o
		}
		return out
	}
	cases := []struct {
		name    string
		o       Outcome
		prior   []Outcome
		end     time.Time
		verdict Verdict
		at      time.Time
		counted bool
		dnc     bool
	}{
		{"completed", OutcomeCompleted, nil, end, VerdictDone, time.Time{}, true, false},
		{"partial", OutcomePartial, nil, end, VerdictDone, time.Time{}, true, false},
		{"busy 1st", OutcomeBusy, nil, end, VerdictRetry, sh("2026-11-28 10:10:00"), true, false},
		{"busy 3rd", OutcomeBusy, rep(OutcomeBusy, 2), end, VerdictRetry, sh("2026-11-28 10:10:00"), true, false},
		{"busy 4th exhausts", OutcomeBusy, rep(OutcomeBusy, 3), end, VerdictExhausted, time.Time{}, true, false},
		{"no answer", OutcomeNoAnswer, nil, end, VerdictRetry, sh("2026-11-28 10:30:00"), true, false},
		{"no answer 4th", OutcomeNoAnswer, rep(OutcomeNoAnswer, 3), end, VerdictExhausted, time.Time{}, true, false},
		{"unreachable", OutcomeUnreachable, nil, end, VerdictRetry, sh("2026-11-28 12:00:00"), true, false},
		{"unreachable 3rd", OutcomeUnreachable, rep(OutcomeUnreachable, 2), end, VerdictExhausted, time.Time{}, true, false},
		{"invalid number", OutcomeInvalidNumber, nil, end, VerdictStop, time.Time{}, true, false},
		{"rejected", OutcomeRejected, nil, end, VerdictStop, time.Time{}, true, true},
		{"trunk error not counted", OutcomeTrunkError, rep(OutcomeBusy, 3), end, VerdictRetry, sh("2026-11-28 10:05:00"), false, false},
		{"interrupted", OutcomeInterrupted, nil, end, VerdictRetry, sh("2026-11-28 10:10:00"), true, false},
		{"cancelled", OutcomeCancelled, nil, end, VerdictStop, time.Time{}, true, false},
		{"unknown stops", OutcomeUnknown, nil, end, VerdictStop, time.Time{}, true, false},
		{"late busy kept in window", OutcomeBusy, nil, sh("2026-11-28 19:55:00"), VerdictRetry, sh("2026-11-29 08:00:00"), true, false},
		{"unreachable late → next morning", OutcomeUnreachable, nil, sh("2026-11-28 18:30:00"), VerdictRetry, sh("2026-11-29 08:00:00"), true, false},
		{"max attempts across outcomes", OutcomeBusy, []Outcome{OutcomeNoAnswer, OutcomeNoAnswer, OutcomeNoAnswer, OutcomeUnreachable, OutcomeUnreachable, OutcomeInterrupted, OutcomeTrunkError, OutcomeBusy}, end, VerdictExhausted, time.Time{}, true, false},
	}
	for _, tc := range cases {
		d := p.Decide(tc.o, tc.prior, tc.end, w)
		if d.Verdict != tc.verdict || !d.At.Equal(tc.at) || d.Counted != tc.counted || d.OfferDNC != tc.dnc {
			t.Errorf("%s: got %+v (at %s), want %s at %s counted=%v dnc=%v", tc.name, d, d.At.In(shanghai), tc.verdict, tc.at, tc.counted, tc.dnc)
		}
	}
}

func TestRetryCustom(t *testing.T) {
	p := RetryPolicy{Rules: map[Outcome]RetryRule{OutcomeBusy: {Delay: time.Hour, Max: 1}}}
	w := DefaultWindows()
	w.Forbidden = []Date{{2026, time.November, 29}}
	d := p.Decide(OutcomeBusy, nil, sh("2026-11-28 19:30:00"), w)
	if d.Verdict != VerdictRetry || !d.At.Equal(sh("2026-11-30 08:00:00")) {
		t.Fatalf("got %+v, want retry on 30 Nov 08:00 (29th forbidden)", d)
	}
	if d := p.Decide(OutcomeBusy, []Outcome{OutcomeBusy}, sh("2026-11-28 10:00:00"), w); d.Verdict != VerdictExhausted {
		t.Fatalf("second busy = %s, want exhausted", d.Verdict)
	}
	if d := p.Decide(OutcomeNoAnswer, nil, sh("2026-11-28 10:00:00"), w); d.Verdict != VerdictStop {
		t.Fatalf("outcome without rule = %s, want stop", d.Verdict)
	}
	closed := Windows{Location: time.UTC}
	if d := p.Decide(OutcomeBusy, nil, sh("2026-11-28 10:00:00"), closed); d.Verdict != VerdictExhausted {
		t.Fatalf("no window ahead = %s, want exhausted", d.Verdict)
	}
}

func TestOutcomeStrings(t *testing.T) {
	for o := OutcomeUnknown; o <= OutcomePartial; o++ {
		got, err := ParseOutcome(o.String())
		if err != nil || got != o {
			t.Errorf("round trip %d: %v %v", o, got, err)
		}
	}
	if OutcomeNoAnswer.String() != "no_answer" || OutcomeInvalidNumber.String() != "invalid_number" {
		t.Fatal("names must match the dialer's")
	}
	var o Outcome
	if err := o.UnmarshalText([]byte("trunk_error")); err != nil || o != OutcomeTrunkError {
		t.Fatal(o, err)
	}
	if _, err := ParseOutcome("nope"); err == nil {
		t.Fatal("accepted unknown outcome")
	}
}
