package dialer

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestOutcomeForStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code int
		want Outcome
	}{
		{200, Completed}, {202, Completed}, {299, Completed},
		{302, TrunkError},
		{400, TrunkError}, {401, TrunkError}, {402, TrunkError}, {407, TrunkError},
		{403, Rejected}, {603, Rejected},
		{404, InvalidNumber}, {410, InvalidNumber}, {484, InvalidNumber}, {485, InvalidNumber}, {604, InvalidNumber},
		{408, NoAnswer}, {487, NoAnswer},
		{480, Unreachable},
		{486, Busy}, {600, Busy},
		{415, MediaFailure}, {488, MediaFailure}, {580, MediaFailure}, {606, MediaFailure},
		{500, TrunkError}, {502, TrunkError}, {503, TrunkError}, {504, TrunkError},
		{499, TrunkError},              // unknown 4xx → 400 (RFC 3261 §8.1.3.2)
		{599, TrunkError}, {699, Busy}, // unknown 6xx → 600
		{0, TrunkError}, {100, TrunkError}, {700, TrunkError}, {-1, TrunkError},
	}
	for _, tc := range cases {
		if got := OutcomeForStatus(tc.code); got != tc.want {
			t.Errorf("OutcomeForStatus(%d) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestOutcomeNames(t *testing.T) {
	t.Parallel()
	want := []string{"completed", "busy", "no_answer", "rejected", "invalid_number", "unreachable",
		"trunk_error", "media_failure", "cancelled", "interrupted"}
	for i, n := range want {
		o := Outcome(i)
		if o.String() != n {
			t.Errorf("%d: %q", i, o.String())
		}
		p, err := ParseOutcome(n)
		if err != nil || p != o {
			t.Errorf("ParseOutcome(%q) = %v, %v", n, p, err)
		}
		b, _ := o.MarshalText()
		var back Outcome
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("text round trip %v", o)
		}
	}
	if _, err := ParseOutcome("partial"); err == nil {
		t.Error("unknown outcome parsed")
	}
	if s := Outcome(200).String(); s != "outcome(200)" {
		t.Errorf("out of range: %q", s)
	}
}

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{Trunk: "gw1", Outcome: Busy, Status: 486, Reason: "Busy Here"}, "dial trunk gw1: 486 Busy Here"},
		{&Error{Trunk: "gw1", Outcome: TrunkError, Reason: "trunk paused by 503 Retry-After", RetryAfter: time.Minute},
			"dial trunk gw1: trunk paused by 503 Retry-After (retry after 1m0s)"},
		{&Error{Trunk: "gw1", Outcome: NoAnswer}, "dial trunk gw1: no_answer"},
		{&Error{Trunk: "gw1", Outcome: TrunkError, Reason: "send INVITE failed", Err: errors.New("boom")},
			"dial trunk gw1: send INVITE failed: boom"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
	wrapped := fmt.Errorf("robot: %w", cases[0].err)
	if OutcomeOf(wrapped) != Busy || OutcomeOf(nil) != Completed || OutcomeOf(errors.New("x")) != TrunkError {
		t.Error("OutcomeOf")
	}
}

func TestErrorMasksNumbers(t *testing.T) {
	e := &Error{Trunk: "gw1", Outcome: TrunkError, Reason: "send INVITE failed",
		Err: errors.New(`fail to write request on init req="INVITE sip:13812345678@10.0.0.1 SIP/2.0"`)}
	if got := e.Error(); strings.Contains(got, "13812345678") || !strings.Contains(got, "138****5678") {
		t.Errorf("unmasked: %s", got)
	}
}
