package campaigns_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"outreach/campaigns"
)

// memStore is an in-memory fake of the storage seam: TaskStore, RuleStore and Handoff.
type memStore struct {
	mu        sync.Mutex
	camps     map[int64]campaigns.Campaign
	tasks     map[int64]*campaigns.Task
	attempts  []attemptRec
	live      map[int64]int // task id → index in attempts
	dnc       map[string]bool
	exhausted []int64
	offers    []int64
	closed    map[int64]campaigns.RuleReason
	deferred  map[int64]time.Time
}

type attemptRec struct {
	a       campaigns.Attempt
	phone   string
	res     campaigns.CallResult
	counted bool
	ended   bool
}

func newMemStore() *memStore {
	return &memStore{camps: map[int64]campaigns.Campaign{}, tasks: map[int64]*campaigns.Task{}, live: map[int64]int{},
		dnc: map[string]bool{}, closed: map[int64]campaigns.RuleReason{}, deferred: map[int64]time.Time{}}
}

func (m *memStore) addTask(t campaigns.Task) { m.mu.Lock(); m.tasks[t.ID] = &t; m.mu.Unlock() }

func (m *memStore) task(id int64) campaigns.Task {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := *m.tasks[id]
	t.Outcomes = append([]campaigns.Outcome(nil), t.Outcomes...)
	return t
}

func (m *memStore) attemptCount(taskID int64) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, a := range m.attempts {
		if a.a.TaskID == taskID {
			n++
		}
	}
	return n
}

func (m *memStore) Task(_ context.Context, id int64) (campaigns.Task, error) {
	m.mu.Lock()
	_, ok := m.tasks[id]
	m.mu.Unlock()
	if !ok {
		return campaigns.Task{}, fmt.Errorf("task %d: %w", id, campaigns.ErrNotFound)
	}
	return m.task(id), nil
}

func (m *memStore) Campaign(_ context.Context, id int64) (campaigns.Campaign, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.camps[id]
	if !ok {
		return c, campaigns.ErrNotFound
	}
	return c, nil
}

func (m *memStore) BeginAttempt(_ context.Context, id int64, token, worker string, at time.Time) (campaigns.Attempt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tasks[id]
	if t == nil || t.State != campaigns.TaskQueued { // UPDATE ... WHERE state='queued'
		return campaigns.Attempt{}, campaigns.ErrNotQueued
	}
	t.State = campaigns.TaskDialing
	a := campaigns.Attempt{ID: int64(len(m.attempts) + 1), TaskID: id, Token: token, Worker: worker, Start: at}
	m.attempts = append(m.attempts, attemptRec{a: a, phone: t.Phone})
	m.live[id] = len(m.attempts) - 1
	return a, nil
}

func (m *memStore) FinishAttempt(_ context.Context, a campaigns.Attempt, r campaigns.CallResult, d campaigns.Decision) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.live[a.TaskID]
	if !ok || m.attempts[i].a.ID != a.ID {
		return fmt.Errorf("finish attempt %d: %w", a.ID, campaigns.ErrLeaseLost)
	}
	delete(m.live, a.TaskID)
	m.attempts[i].res, m.attempts[i].counted, m.attempts[i].ended = r, d.Counted, true
	t := m.tasks[a.TaskID]
	t.Outcomes = append(t.Outcomes, r.Outcome)
	switch d.Verdict {
	case campaigns.VerdictRetry:
		t.State, t.Due = campaigns.TaskQueued, d.At
	case campaigns.VerdictDone:
		t.State = campaigns.TaskDone
	case campaigns.VerdictStop:
		t.State = campaigns.TaskStopped
	case campaigns.VerdictExhausted:
		t.State = campaigns.TaskExhausted
	}
	return nil
}

func (m *memStore) LiveAttempt(_ context.Context, id int64, token string) (campaigns.Attempt, campaigns.Task, error) {
	m.mu.Lock()
	i, ok := m.live[id]
	m.mu.Unlock()
	if !ok || m.attempts[i].a.Token != token {
		return campaigns.Attempt{}, campaigns.Task{}, campaigns.ErrNotFound
	}
	return m.attempts[i].a, m.task(id), nil
}

func (m *memStore) Defer(_ context.Context, id int64, due time.Time, _ campaigns.RuleReason) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tasks[id].Due, m.deferred[id] = due, due
	return nil
}

func (m *memStore) Close(_ context.Context, id int64, r campaigns.RuleReason) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tasks[id].State, m.closed[id] = campaigns.TaskStopped, r
	return nil
}

func (m *memStore) NumberHistory(_ context.Context, phone string, day time.Time) (campaigns.NumberHistory, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var h campaigns.NumberHistory
	for _, a := range m.attempts {
		if a.ended && a.phone == phone {
			if a.counted && !a.res.End.Before(day) {
				h.Attempts++
			}
			if a.res.End.After(h.Last) {
				h.Last = a.res.End
			}
		}
	}
	return h, nil
}

func (m *memStore) DoNotCall(_ context.Context, phone string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dnc[phone], nil
}

func (m *memStore) CompletedToday(_ context.Context, resident, campaign int64, day time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range m.attempts {
		t := m.tasks[a.a.TaskID]
		if a.ended && a.res.Outcome == campaigns.OutcomeCompleted && t.ResidentID == resident && t.CampaignID == campaign && !a.res.End.Before(day) {
			return true, nil
		}
	}
	return false, nil
}

func (m *memStore) Exhausted(_ context.Context, t campaigns.Task, _ campaigns.Outcome) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.exhausted = append(m.exhausted, t.ID)
	return nil
}

func (m *memStore) OfferDoNotCall(_ context.Context, t campaigns.Task) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.offers = append(m.offers, t.ID)
	return nil
}
