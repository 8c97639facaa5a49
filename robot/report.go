package robot

import (
	"errors"
	"strings"
	"time"

	"outreach/dialer"
	"outreach/ivr"
)

// Report is what one call produced, ready to store or print as JSON.
type Report struct {
	Outcome    string `json:"outcome"` // dialer outcome, or "partial" when the script did not finish
	SIPStatus  int    `json:"sip_status"`
	Reason     string `json:"reason,omitempty"`
	Answered   bool   `json:"answered"`
	DTMF       string `json:"dtmf"`
	SetupMS    int64  `json:"setup_ms"`
	DurationMS int64  `json:"duration_ms"`
	CallID     string `json:"call_id"`
	HangupBy   string `json:"hangup_by,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
	EarlyMedia bool   `json:"early_media"` // audio was heard before the final response (183)

	InviteAt time.Time `json:"invite_at"`
	AnswerAt time.Time `json:"answer_at,omitzero"`
	EndAt    time.Time `json:"end_at"`

	Script    *ivr.Result `json:"-"`
	ScriptErr error       `json:"-"`
	Recording []int16     `json:"-"`
	Early     []int16     `json:"-"`
}

func failedReport(err error) *Report {
	rep := &Report{Outcome: dialer.OutcomeOf(err).String(), Reason: err.Error()}
	var de *dialer.Error
	if errors.As(err, &de) {
		rep.SIPStatus, rep.CallID = de.Status, de.CallID
		rep.Early = de.EarlyMedia
		rep.EarlyMedia = len(de.EarlyMedia) > 0
		if de.RetryAfter > 0 {
			rep.RetryAfter = de.RetryAfter.String()
		}
	}
	return rep
}

func (rep *Report) fill(res dialer.Result, rec []int16) {
	rep.Outcome = res.Outcome.String()
	if rep.Script != nil && rep.Script.Status == ivr.StatusPartial && res.Outcome == dialer.Completed {
		rep.Outcome = "partial"
	}
	rep.SIPStatus, rep.Reason, rep.Answered = res.SIPStatus, res.Reason, res.Answered
	rep.SetupMS, rep.DurationMS = res.SetupTime.Milliseconds(), res.Duration.Milliseconds()
	rep.CallID, rep.HangupBy = res.CallID, res.HangupBy
	rep.InviteAt, rep.AnswerAt, rep.EndAt = res.InviteAt, res.AnswerAt, res.EndAt
	rep.Recording = rec
	if rep.ScriptErr != nil && rep.Reason == "" {
		rep.Reason = rep.ScriptErr.Error()
	}
}

// scriptDigits is every key the resident pressed during a script, in order.
func scriptDigits(res *ivr.Result) string {
	var b strings.Builder
	for _, a := range res.Answers {
		if a.Method == ivr.MethodDTMF {
			b.WriteString(a.Raw)
		}
	}
	return b.String()
}
