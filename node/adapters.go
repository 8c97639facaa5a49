package node

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"outreach/ivr"
	"outreach/robot"
	"outreach/storage"
)

// scripts loads pinned script versions from the store, parsed once each;
// the first load of a version renders all its static prompts, so the
// campaign's first resident never waits for TTS.
type scripts struct {
	store *storage.Store
	voice *robot.PromptVoice
	log   *slog.Logger
	mu    sync.Mutex
	cache map[string]*ivr.Script
}

func (s *scripts) Script(ctx context.Context, ref string) (*ivr.Script, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc, ok := s.cache[ref]; ok {
		return sc, nil
	}
	sv, err := s.store.Script(ctx, ref)
	if err != nil {
		return nil, err
	}
	sc, err := ivr.Load(sv.Source)
	if err != nil {
		return nil, fmt.Errorf("script %s: %w", ref, err)
	}
	if s.voice != nil {
		if err := s.voice.Prerender(ctx, sc); err != nil {
			s.log.Warn("pre-render static prompts", "script", ref, "err", err)
		}
	}
	if s.cache == nil {
		s.cache = map[string]*ivr.Script{}
	}
	s.cache[ref] = sc
	return sc, nil
}

// residents tells the robot a resident's name and community.
type residents struct {
	store *storage.Store
	org   string
}

func (r residents) Resident(ctx context.Context, id int64) (robot.Resident, error) {
	res, err := r.store.Resident(ctx, id)
	if err != nil {
		return robot.Resident{}, err
	}
	return robot.Resident{Name: res.Name, CommunityID: res.CommunityID, Org: r.org}, nil
}

// results stores each call's attempt details and answers.
type results struct{ store *storage.Store }

func (r results) SaveCall(ctx context.Context, rec robot.CallRecord) error {
	rep := rec.Report
	res := storage.Result{AttemptID: rec.AttemptID, Outcome: rec.Outcome, SIPStatus: rep.SIPStatus,
		Reason: rep.Reason, Answered: rep.Answered, HangupBy: rep.HangupBy,
		InviteAt: rep.InviteAt, AnswerAt: rep.AnswerAt, EndAt: rep.EndAt}
	if rep.Script != nil {
		res.Answers = rep.Script.Answers
	}
	return r.store.WriteResults(ctx, []storage.Result{res})
}
