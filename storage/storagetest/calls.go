package storagetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
	"outreach/storage"
)

// seed creates n residents tagged list-a and a running campaign targeting
// them, creates one run and returns the campaign id and task ids.
func seed(t *testing.T, s *storage.Store, n int) (int64, []int64) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		r := resident(fmt.Sprintf("居民%d", i), fmt.Sprintf("+86138%08d", i))
		must[int64](t)(s.CreateResident(ctx, r))
	}
	c := testCampaign(campaigns.Target{Kind: campaigns.TargetTag, Ref: "list-a"})
	c.ID = must[int64](t)(s.CreateCampaign(ctx, c))
	due := must[[]campaigns.DueTask](t)(s.CreateRun(ctx, 1, c, t0))
	ids := make([]int64, len(due))
	for i, d := range due {
		ids[i] = d.TaskID
	}
	return c.ID, ids
}

func testCreateRun(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	cid, tasks := seed(t, s, 3)
	if len(tasks) != 3 {
		t.Fatalf("tasks %d, want 3", len(tasks))
	}
	c := must[campaigns.Campaign](t)(s.Campaign(ctx, cid))
	if again := must[[]campaigns.DueTask](t)(s.CreateRun(ctx, 2, c, t0)); len(again) != 0 {
		t.Fatalf("second CreateRun of one occurrence made %d tasks", len(again))
	}
	if last := must[time.Time](t)(s.LastOccurrence(ctx, cid)); !last.Equal(t0) {
		t.Fatalf("last occurrence %v", last)
	}
	if _, err := s.CreateRun(ctx, 1, c, t0.Add(24*time.Hour)); !errors.Is(err, storage.ErrStaleFence) {
		t.Fatalf("stale fence: %v", err)
	}
	task := must[campaigns.Task](t)(s.Task(ctx, tasks[0]))
	if task.State != campaigns.TaskQueued || task.Phone != "+8613800000000" || !task.Due.Equal(t0) {
		t.Fatalf("task %+v", task)
	}
	// Observation target: only the resident observed on the run's day.
	obs := testCampaign(campaigns.Target{Kind: campaigns.TargetObservation})
	obs.ID = must[int64](t)(s.CreateCampaign(ctx, obs))
	rid := task.ResidentID
	must[int64](t)(s.AddObservation(ctx, storage.Observation{ResidentID: rid, Start: t0.AddDate(0, 0, -3),
		Release: t0.AddDate(0, 0, 1), CallTimes: []string{"09:00"}}))
	due := must[[]campaigns.DueTask](t)(s.CreateRun(ctx, 2, obs, t0))
	late := must[[]campaigns.DueTask](t)(s.CreateRun(ctx, 2, obs, t0.AddDate(0, 0, 2)))
	if len(due) != 1 || len(late) != 0 {
		t.Fatalf("observation run: %d tasks on the day, %d after release", len(due), len(late))
	}
	queued := must[[]campaigns.DueTask](t)(s.DueTasks(ctx, cid, 0, 10))
	if len(queued) != 3 {
		t.Fatalf("due tasks %d", len(queued))
	}
}

// testAttemptFence races many workers on one queued task: exactly one wins.
func testAttemptFence(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	_, tasks := seed(t, s, 1)
	const workers = 8
	var wg sync.WaitGroup
	wins, losses := make(chan campaigns.Attempt, workers), make(chan error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := s.BeginAttempt(ctx, tasks[0], fmt.Sprintf("tok%d", i), fmt.Sprintf("w%d", i), t0)
			if err != nil {
				losses <- err
				return
			}
			wins <- a
		}()
	}
	wg.Wait()
	close(wins)
	close(losses)
	if len(wins) != 1 {
		t.Fatalf("%d workers won the fence, want 1", len(wins))
	}
	for err := range losses {
		if !errors.Is(err, campaigns.ErrNotQueued) {
			t.Fatalf("loser error: %v", err)
		}
	}
	a := <-wins
	live, task := must2(t)(s.LiveAttempt(ctx, tasks[0], a.Token))
	if live.ID != a.ID || task.State != campaigns.TaskDialing {
		t.Fatalf("live attempt %+v task %+v", live, task)
	}
	if _, _, err := s.LiveAttempt(ctx, tasks[0], "other"); !errors.Is(err, campaigns.ErrNotFound) {
		t.Fatalf("live attempt with wrong token: %v", err)
	}
}

func must2(t *testing.T) func(a campaigns.Attempt, k campaigns.Task, err error) (campaigns.Attempt, campaigns.Task) {
	return func(a campaigns.Attempt, k campaigns.Task, err error) (campaigns.Attempt, campaigns.Task) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, k
	}
}

func testFinishAttempt(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	_, tasks := seed(t, s, 2)
	a := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, tasks[0], "tok", "w1", t0))
	retryAt := t0.Add(10 * time.Minute)
	res := campaigns.CallResult{Outcome: campaigns.OutcomeBusy, SIPStatus: 486, Start: t0, End: t0.Add(5 * time.Second)}
	dec := campaigns.Decision{Verdict: campaigns.VerdictRetry, At: retryAt, Counted: true, Reason: "busy"}
	if err := s.FinishAttempt(ctx, a, res, dec); err != nil {
		t.Fatal(err)
	}
	task := must[campaigns.Task](t)(s.Task(ctx, tasks[0]))
	if task.State != campaigns.TaskQueued || !task.Due.Equal(retryAt) || len(task.Outcomes) != 1 ||
		task.Outcomes[0] != campaigns.OutcomeBusy {
		t.Fatalf("after retry: %+v", task)
	}
	if err := s.FinishAttempt(ctx, a, res, dec); !errors.Is(err, campaigns.ErrLeaseLost) {
		t.Fatalf("second finish: %v", err)
	}
	// Second attempt completes; the recoverer's interrupted finish then loses.
	b := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, tasks[0], "tok2", "w2", retryAt))
	done := campaigns.CallResult{Outcome: campaigns.OutcomeCompleted, SIPStatus: 200, Answered: true, End: retryAt.Add(time.Minute)}
	if err := s.FinishAttempt(ctx, b, done, campaigns.Decision{Verdict: campaigns.VerdictDone, Counted: true}); err != nil {
		t.Fatal(err)
	}
	intr := campaigns.CallResult{Outcome: campaigns.OutcomeInterrupted}
	if err := s.FinishAttempt(ctx, b, intr, campaigns.Decision{Verdict: campaigns.VerdictRetry, At: retryAt}); !errors.Is(err, campaigns.ErrLeaseLost) {
		t.Fatalf("late interrupt: %v", err)
	}
	task = must[campaigns.Task](t)(s.Task(ctx, tasks[0]))
	if task.State != campaigns.TaskDone || len(task.Outcomes) != 2 {
		t.Fatalf("after done: %+v", task)
	}
	// Interrupted attempt of the other task, found through LiveAttempt.
	c := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, tasks[1], "tok3", "w3", t0))
	live, _ := must2(t)(s.LiveAttempt(ctx, tasks[1], "tok3"))
	if err := s.FinishAttempt(ctx, live, intr, campaigns.Decision{Verdict: campaigns.VerdictExhausted}); err != nil {
		t.Fatal(err)
	}
	rec := must[storage.AttemptRecord](t)(s.Attempt(ctx, c.ID))
	if rec.State != storage.AttemptInterrupted || rec.Outcome != campaigns.OutcomeInterrupted {
		t.Fatalf("interrupted attempt: %+v", rec)
	}
	if k := must[campaigns.Task](t)(s.Task(ctx, tasks[1])); k.State != campaigns.TaskExhausted {
		t.Fatalf("exhausted task: %v", k.State)
	}
}

func testDeferClose(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	_, tasks := seed(t, s, 2)
	later := t0.Add(3 * time.Hour)
	if err := s.Defer(ctx, tasks[0], later, campaigns.ReasonWindow); err != nil {
		t.Fatal(err)
	}
	if k := must[campaigns.Task](t)(s.Task(ctx, tasks[0])); !k.Due.Equal(later) || k.State != campaigns.TaskQueued {
		t.Fatalf("deferred: %+v", k)
	}
	ts := s.TaskStore()
	if err := ts.Close(ctx, tasks[1], campaigns.ReasonDoNotCall); err != nil {
		t.Fatal(err)
	}
	if k := must[campaigns.Task](t)(s.Task(ctx, tasks[1])); k.State != campaigns.TaskStopped {
		t.Fatalf("closed: %+v", k)
	}
	if err := s.Defer(ctx, tasks[1], later, campaigns.ReasonWindow); !errors.Is(err, campaigns.ErrNotQueued) {
		t.Fatalf("defer closed task: %v", err)
	}
	if _, err := s.BeginAttempt(ctx, tasks[1], "t", "w", t0); !errors.Is(err, campaigns.ErrNotQueued) {
		t.Fatalf("begin on closed task: %v", err)
	}
}

func testRuleHistory(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	cid, tasks := seed(t, s, 1)
	phone := "+8613800000000"
	h := must[campaigns.NumberHistory](t)(s.NumberHistory(ctx, phone, t0))
	if h.Attempts != 0 || !h.Last.IsZero() {
		t.Fatalf("empty history: %+v", h)
	}
	a := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, tasks[0], "a", "w", t0.Add(time.Minute)))
	end := t0.Add(2 * time.Minute)
	must[int](t)(0, s.FinishAttempt(ctx, a, campaigns.CallResult{Outcome: campaigns.OutcomeCompleted, End: end},
		campaigns.Decision{Verdict: campaigns.VerdictDone, Counted: true}))
	h = must[campaigns.NumberHistory](t)(s.NumberHistory(ctx, phone, t0))
	if h.Attempts != 1 || !h.Last.Equal(end) {
		t.Fatalf("history: %+v", h)
	}
	if h := must[campaigns.NumberHistory](t)(s.NumberHistory(ctx, phone, t0.Add(time.Hour))); h.Attempts != 0 {
		t.Fatalf("history after day start: %+v", h)
	}
	task := must[campaigns.Task](t)(s.Task(ctx, tasks[0]))
	if !must[bool](t)(s.CompletedToday(ctx, task.ResidentID, cid, t0)) {
		t.Fatal("completed today: false")
	}
	if must[bool](t)(s.CompletedToday(ctx, task.ResidentID, cid, t0.Add(time.Hour))) {
		t.Fatal("completed after day start: true")
	}
}

func testWriteResults(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	_, tasks := seed(t, s, 2)
	var results []storage.Result
	for i, id := range tasks {
		a := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, id, fmt.Sprint("t", i), "w", t0))
		results = append(results, storage.Result{AttemptID: a.ID, Outcome: campaigns.OutcomeCompleted, SIPStatus: 200,
			Answered: true, HangupBy: "robot", RecordingPath: "rec/1.wav", AnswerAt: t0.Add(3 * time.Second),
			EndAt: t0.Add(time.Minute), Answers: []ivr.Answer{
				{Node: "identity", Key: "identity", Value: true, Raw: "1", Method: ivr.MethodDTMF, Confidence: 1},
				{Node: "temperature", Key: "temperature", Value: 37.5, Raw: "375", Method: ivr.MethodDTMF},
				{Node: "symptoms", Key: "symptoms", Value: "有点咳嗽", Raw: "有点咳嗽", Method: ivr.MethodSpeech, Confidence: 0.8},
			}})
	}
	if err := s.WriteResults(ctx, results); err != nil {
		t.Fatal(err)
	}
	rec := must[storage.AttemptRecord](t)(s.Attempt(ctx, results[1].AttemptID))
	if rec.HangupBy != "robot" || rec.SIPStatus != 200 || !rec.AnswerAt.Equal(t0.Add(3*time.Second)) ||
		rec.RecordingPath != "rec/1.wav" || len(rec.Answers) != 3 || !rec.InviteAt.Equal(t0) {
		t.Fatalf("attempt record: %+v", rec)
	}
	if rec.Answers[0].Value != true || rec.Answers[1].Value != 37.5 || rec.Answers[2].Value != "有点咳嗽" ||
		rec.Answers[2].Method != ivr.MethodSpeech || rec.Answers[2].Raw != "有点咳嗽" {
		t.Fatalf("answers: %+v", rec.Answers)
	}
	list := must[[]storage.AttemptRecord](t)(s.Attempts(ctx, storage.AttemptFilter{Newest: true, Limit: 1}))
	if len(list) != 1 || list[0].ID != results[1].AttemptID || list[0].HangupBy != "robot" {
		t.Fatalf("newest attempt %+v", list)
	}
	list = must[[]storage.AttemptRecord](t)(s.Attempts(ctx, storage.AttemptFilter{Outcome: campaigns.OutcomeCompleted, AfterID: results[0].AttemptID}))
	if len(list) != 1 || list[0].ID != results[1].AttemptID {
		t.Fatalf("attempts after %+v", list)
	}
	if l := must[[]storage.AttemptRecord](t)(s.Attempts(ctx, storage.AttemptFilter{Outcome: campaigns.OutcomeBusy})); len(l) != 0 {
		t.Fatalf("busy attempts %+v", l)
	}
	bad := []storage.Result{{AttemptID: 999999}}
	if err := s.WriteResults(ctx, bad); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown attempt: %v", err)
	}
}

func testSetState(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	cid, tasks := seed(t, s, 2)
	if err := s.SetState(ctx, cid, campaigns.StatePaused, campaigns.StateRunning); !errors.Is(err, campaigns.ErrTransition) {
		t.Fatalf("wrong from: %v", err)
	}
	if err := s.SetState(ctx, cid, campaigns.StateRunning, campaigns.StateCancelled); err != nil {
		t.Fatal(err)
	}
	if k := must[campaigns.Task](t)(s.Task(ctx, tasks[0])); k.State != campaigns.TaskCancelled {
		t.Fatalf("task after cancel: %v", k.State)
	}
	if sc := must[[]campaigns.Campaign](t)(s.ScheduledCampaigns(ctx)); len(sc) != 0 {
		t.Fatalf("cancelled campaign still scheduled")
	}
}

func testSnapshot(t *testing.T, f Factory) {
	ctx := context.Background()
	clk := &Clock{T: t0}
	s := f(t, clk.Now)
	cid, tasks := seed(t, s, 3)
	must[campaigns.Attempt](t)(s.BeginAttempt(ctx, tasks[0], "tokA", "w1", t0))
	snap, err := s.QueueSnapshot(time.Minute).Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Campaigns) != 1 || snap.Campaigns[0].ID != cid || snap.Campaigns[0].Paused || snap.Campaigns[0].Trunk != "fs" {
		t.Fatalf("campaigns %+v", snap.Campaigns)
	}
	if len(snap.Due[cid]) != 2 {
		t.Fatalf("due %+v", snap.Due)
	}
	if len(snap.Live) != 1 || snap.Live[0].TaskID != tasks[0] || snap.Live[0].Token != "tokA" ||
		snap.Live[0].Worker != "w1" || !snap.Live[0].Expires.Equal(t0.Add(time.Minute)) {
		t.Fatalf("live %+v", snap.Live)
	}
}
