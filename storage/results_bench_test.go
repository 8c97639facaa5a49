package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

// seedAttempts makes n dialing attempts (one resident, run and task each)
// with bulk inserts, and returns their ids.
func seedAttempts(tb testing.TB, s *Store, n int) []int64 {
	tb.Helper()
	ctx := context.Background()
	c := campaigns.Campaign{Name: "bench", State: campaigns.StateRunning, Target: campaigns.Target{Kind: campaigns.TargetTag, Ref: "b"}}
	cid, err := s.CreateCampaign(ctx, c)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	ids := make([]int64, n)
	err = inTx(ctx, s.b, func(t tx) error {
		var runID int64
		if err := t.QueryRow(ctx, `INSERT INTO runs (campaign_id, occurrence, fence, created_at) VALUES ($1,$2,0,$2) RETURNING id`,
			cid, now).Scan(&runID); err != nil {
			return err
		}
		res, tasks, atts := make([][]any, n), make([][]any, n), make([][]any, n)
		for i := range n {
			phone := "+86" + mobile(i)
			id := int64(i + 1)
			res[i] = []any{id, "r", s.ring.SealString(phone), s.ring.Index(phone), nil, nil, nil, nil, nil, "", "b", "", nil, now}
			tasks[i] = []any{id, cid, runID, id, int(campaigns.TaskDialing), now, "tok"}
			atts[i] = []any{id, id, cid, id, s.ring.Index(phone), "tok", "w", int(AttemptDialing), now}
			ids[i] = id
		}
		if _, err := t.CopyFrom(ctx, "residents", residentCopyCols, res); err != nil {
			return err
		}
		if _, err := t.CopyFrom(ctx, "tasks", []string{"id", "campaign_id", "run_id", "resident_id", "state", "due", "token"}, tasks); err != nil {
			return err
		}
		_, err := t.CopyFrom(ctx, "attempts", []string{"id", "task_id", "campaign_id", "resident_id", "phone_hash",
			"token", "worker", "state", "invite_at"}, atts)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

func benchResults(ids []int64) []Result {
	at := time.Now()
	out := make([]Result, len(ids))
	for i, id := range ids {
		out[i] = Result{AttemptID: id, Outcome: campaigns.OutcomeCompleted, SIPStatus: 200, Answered: true,
			HangupBy: "robot", AnswerAt: at, EndAt: at.Add(40 * time.Second), Answers: []ivr.Answer{
				{Node: "identity", Key: "identity", Value: true, Raw: "1", Method: ivr.MethodDTMF, Confidence: 1},
				{Node: "temperature", Key: "temperature", Value: 36.5, Raw: "365", Method: ivr.MethodDTMF, Confidence: 1},
				{Node: "symptoms", Key: "symptoms", Value: "没有", Raw: "没有", Method: ivr.MethodSpeech, Confidence: 0.9},
			}}
	}
	return out
}

// BenchmarkWriteResults writes finished attempts with three answers each in
// batches of 1000 and reports calls per second (target ≥ 20,000).
func BenchmarkWriteResults(b *testing.B) {
	const calls, batch = 50_000, 1000
	for _, be := range Backends {
		b.Run(be, func(b *testing.B) {
			ctx := context.Background()
			var rate float64
			for b.Loop() {
				b.StopTimer()
				s := NewTestStore(b, be, nil)
				results := benchResults(seedAttempts(b, s, calls))
				b.StartTimer()
				start := time.Now()
				for i := 0; i < calls; i += batch {
					if err := s.WriteResults(ctx, results[i:i+batch]); err != nil {
						b.Fatal(err)
					}
				}
				rate = calls / time.Since(start).Seconds()
			}
			b.ReportMetric(rate, "calls/s")
		})
	}
}

func TestWriteResultsBatch(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			s := NewTestStore(t, be, nil)
			ids := seedAttempts(t, s, 2000)
			if err := s.WriteResults(context.Background(), benchResults(ids)); err != nil {
				t.Fatal(err)
			}
			a, err := s.Attempt(context.Background(), ids[1999])
			if err != nil || len(a.Answers) != 3 || a.Answers[2].Value != "没有" || a.HangupBy != "robot" {
				t.Fatalf("attempt %+v %v", a, err)
			}
			var n int
			s.b.QueryRow(context.Background(), `SELECT COUNT(*) FROM answers`).Scan(&n)
			if n != 6000 {
				t.Fatal(fmt.Sprint("answers: ", n))
			}
		})
	}
}
