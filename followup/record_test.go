package followup

import (
	"slices"
	"strings"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

func TestRecordFromSampleScript(t *testing.T) {
	type want struct {
		status    RecordStatus
		confirmed YesNo
		temp      float64
		symptoms  []string
		leftHome  YesNo
		contact   YesNo
		needs     []Need
		alerts    []string
		optedOut  bool
		reached   bool
	}
	cases := []struct {
		name string
		keys []string
		want want
	}{
		{"well", []string{"1", "365#", "2", "2", "2", "2", "2", "3"},
			want{RecordCompleted, Yes, 36.5, nil, No, No, nil, nil, false, true}},
		{"fever symptoms medicine", []string{"1", "385#", "1", "1", "2", "1", "1", "1", "2"},
			want{RecordCompleted, Yes, 38.5, []string{"cough", "fatigue"}, Yes, Yes, []Need{NeedMedicine},
				[]string{"fever", "symptoms", "close_contact", "left_home"}, false, true}},
		{"taste lost, food", []string{"1", "366#", "2", "2", "1", "2", "2", "2", "2"},
			want{RecordCompleted, Yes, 36.6, []string{"taste_smell"}, No, No, []Need{NeedFood},
				[]string{"taste_smell"}, false, true}},
		{"hangs up after temperature", []string{"1", "372#", "H"},
			want{RecordPartial, Yes, 37.2, nil, Unanswered, Unanswered, nil, nil, false, true}},
		{"wrong person, a relative", []string{"2", "1"},
			want{RecordPartial, No, 0, nil, Unanswered, Unanswered, nil, nil, false, false}},
		{"opts out", []string{"9"},
			want{RecordPartial, Unanswered, 0, nil, Unanswered, Unanswered, nil, nil, true, true}},
		{"silent", []string{"", "", ""},
			want{RecordPartial, Unanswered, 0, nil, Unanswered, Unanswered, nil, nil, false, true}},
	}
	end := time.Date(2026, 11, 28, 1, 5, 0, 0, time.UTC)
	for _, lang := range []string{"zh", "en"} {
		for _, tc := range cases {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				res := runSample(t, lang, tc.keys...)
				c := Call{ResidentID: 7, CommunityID: 3, AttemptID: 11, Outcome: campaigns.OutcomeCompleted,
					Answered: true, Result: res, End: end}
				r, changed := Apply(Record{}, c, DayOf(end, shanghai), DefaultMapping())
				if !changed {
					t.Fatal("Apply reported no change")
				}
				w := tc.want
				got := want{r.Status, r.Confirmed, r.Temperature, r.Symptoms, r.LeftHome, r.Contact, r.Needs,
					r.Alerts, r.OptedOut, r.Reached()}
				if !equalWant(got.symptoms, w.symptoms) || !equalWant(got.alerts, w.alerts) ||
					!slices.Equal(got.needs, w.needs) || got.status != w.status || got.confirmed != w.confirmed ||
					got.temp != w.temp || got.leftHome != w.leftHome || got.contact != w.contact ||
					got.optedOut != w.optedOut || got.reached != w.reached {
					t.Errorf("record\n got %+v\nwant %+v\n(ivr status %s, answers %v, end %s)", got, w, res.Status,
						r.Answers, res.EndNode)
				}
				wantAttempt := int64(11) // the attempt the answers came from
				if len(r.Answers) == 0 {
					wantAttempt = 0
				}
				if r.Day != date("2026-11-28") || r.AttemptID != wantAttempt || !slices.Equal(r.Attempts, []int64{11}) ||
					!strings.HasPrefix(r.ScriptID, "daily-health-check") || r.CommunityID != 3 {
					t.Errorf("bookkeeping: day %s attempt %d attempts %v script %q community %d",
						r.Day, r.AttemptID, r.Attempts, r.ScriptID, r.CommunityID)
				}
			})
		}
	}
}

func equalWant(a, b []string) bool { return slices.Equal(a, b) }

func TestRecordNeedsHelpFlag(t *testing.T) {
	res := runSample(t, "zh", "1", "365#", "2", "2", "2", "2", "2", "1")
	if !slices.Contains(res.Flags, "needs_help") {
		t.Fatalf("sample script did not flag needs_help: %v", res.Flags)
	}
}

func answer(key string, v any) ivr.Answer { return ivr.Answer{Key: key, Value: v} }

func TestRecordMerge(t *testing.T) {
	day := date("2026-11-28")
	m := DefaultMapping()
	morning := Call{ResidentID: 1, AttemptID: 1, Outcome: campaigns.OutcomePartial, Answered: true,
		End: time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC),
		Result: &ivr.Result{Status: ivr.StatusPartial, Answers: []ivr.Answer{answer("identity", true),
			answer("temperature", 37.6), answer("cough", true)},
			Alerts: []ivr.Alert{{Flag: "fever"}}, Flags: []string{"fever", "cough"}}}
	missed := Call{ResidentID: 1, AttemptID: 2, Outcome: campaigns.OutcomeNoAnswer,
		End: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)}
	afternoon := Call{ResidentID: 1, AttemptID: 3, Outcome: campaigns.OutcomeCompleted, Answered: true,
		End: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC),
		Result: &ivr.Result{Status: ivr.StatusCompleted, Answers: []ivr.Answer{answer("identity", true),
			answer("temperature", 36.9), answer("cough", false), answer("fatigue", true),
			answer("left_home", false), answer("needs", "none")}, Flags: []string{"fatigue"}}}

	r, _ := Apply(Record{}, morning, day, m)
	r, _ = Apply(r, missed, day, m)
	if r.Status != RecordPartial || r.Temperature != 37.6 || r.Outcome != campaigns.OutcomeNoAnswer {
		t.Fatalf("a missed call changed the day: %+v", r)
	}
	r, _ = Apply(r, afternoon, day, m)
	checks := []struct {
		name string
		ok   bool
	}{
		{"status completed", r.Status == RecordCompleted},
		{"later temperature wins", r.Temperature == 36.9},
		{"later cough answer wins", slices.Equal(r.Symptoms, []string{"fatigue"})},
		{"alerts kept", slices.Equal(r.Alerts, []string{"fever"})},
		{"flags merged", slices.Equal(r.Flags, []string{"fever", "cough", "fatigue"})},
		{"attempts", slices.Equal(r.Attempts, []int64{1, 2, 3}) && r.AttemptID == 3 && r.Calls == 3},
		{"times", r.First.Equal(morning.End) && r.Last.Equal(afternoon.End)},
		{"left home", r.LeftHome == No},
		{"no needs", len(r.Needs) == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.name, r)
		}
	}
	again, changed := Apply(r, afternoon, day, m)
	if changed || again.Calls != 3 {
		t.Errorf("replayed attempt changed the record: changed=%v calls=%d", changed, again.Calls)
	}
	// A later partial call keeps the completed status but its fresh answers count.
	late := Call{ResidentID: 1, AttemptID: 4, Answered: true, End: afternoon.End.Add(time.Hour),
		Result: &ivr.Result{Status: ivr.StatusPartial, Answers: []ivr.Answer{answer("temperature", 38.2)}}}
	r2, _ := Apply(r, late, day, m)
	if r2.Status != RecordCompleted || r2.Temperature != 38.2 || r.Temperature != 36.9 {
		t.Errorf("late partial: status %s temp %v (original %v)", r2.Status, r2.Temperature, r.Temperature)
	}
}

func TestMappingCustomKeys(t *testing.T) {
	m := Mapping{Temperature: "temp", Symptoms: []string{"sore_throat"}, LeftHome: "went_out",
		Needs: "need_help"}
	res := &ivr.Result{Status: ivr.StatusCompleted, Answers: []ivr.Answer{answer("temp", "37.1"),
		answer("sore_throat", true), answer("went_out", true), answer("need_help", true),
		answer("temperature", 40.0)}}
	r, _ := Apply(Record{}, Call{ResidentID: 2, Result: res, End: time.Unix(0, 0)}, date("1970-01-01"), m)
	if r.Temperature != 37.1 || !slices.Equal(r.Symptoms, []string{"sore_throat"}) || r.LeftHome != Yes ||
		!slices.Equal(r.Needs, []Need{NeedHelp}) || r.Contact != Unanswered || r.Confirmed != Unanswered {
		t.Errorf("custom mapping: %+v", r)
	}
}

func TestDayOfShanghaiBoundary(t *testing.T) {
	cases := []struct {
		utc  string
		want string
	}{
		{"2026-11-28T15:59:59Z", "2026-11-28"},
		{"2026-11-28T16:00:00Z", "2026-11-29"},
		{"2026-12-31T16:00:00Z", "2027-01-01"},
	}
	for _, c := range cases {
		ts, _ := time.Parse(time.RFC3339, c.utc)
		if got := DayOf(ts, nil).String(); got != c.want {
			t.Errorf("DayOf(%s) = %s, want %s", c.utc, got, c.want)
		}
	}
	if AddDays(date("2026-03-01"), -1) != date("2026-02-28") || CompareDays(date("2026-01-31"), date("2026-02-01")) != -1 {
		t.Error("date arithmetic")
	}
}
