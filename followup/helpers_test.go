package followup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

var shanghai = Location("Asia/Shanghai")

// clock is a settable injected clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(s string) *clock {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return &clock{t: t}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func date(s string) campaigns.Date {
	d, err := campaigns.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// keySession answers the script's questions from a list of key presses:
// "" is silence, "H" hangs up.
type keySession struct{ keys []string }

func (k *keySession) Play(context.Context, ivr.Prompt) (ivr.PlayResult, error) {
	return ivr.PlayResult{}, nil
}

func (k *keySession) Collect(_ context.Context, c ivr.Collect) (ivr.Input, error) {
	if len(k.keys) == 0 {
		return ivr.Input{Kind: ivr.InputNone}, nil
	}
	key := k.keys[0]
	k.keys = k.keys[1:]
	switch key {
	case "H":
		return ivr.Input{}, fmt.Errorf("resident: %w", ivr.ErrHangup)
	case "":
		return ivr.Input{Kind: ivr.InputNone}, nil
	}
	return ivr.Input{Kind: ivr.InputDigits, Digits: key}, nil
}

func (k *keySession) Transfer(context.Context, string) error { return errors.New("no transfer here") }
func (k *keySession) Hangup(context.Context, string) error   { return nil }

var (
	sampleMu      sync.Mutex
	sampleScripts = map[string]*ivr.Script{}
)

// runSample runs the shipped daily health check in lang (zh or en) with
// key presses.
func runSample(t *testing.T, lang string, keys ...string) *ivr.Result {
	t.Helper()
	sampleMu.Lock()
	s, ok := sampleScripts[lang]
	if !ok {
		src, err := os.ReadFile(filepath.Join("..", "scripts", "samples", "daily-health-check."+lang+".yaml"))
		if err == nil {
			s, err = ivr.Load(src)
		}
		if err != nil {
			sampleMu.Unlock()
			t.Fatalf("load sample script %s: %v", lang, err)
		}
		sampleScripts[lang] = s
	}
	sampleMu.Unlock()
	c := newClock("2026-11-28 09:00")
	e := ivr.NewEngine(s, ivr.Options{Now: c.Now})
	res, err := e.Run(context.Background(), &keySession{keys: keys},
		ivr.Data{Org: "社区", Resident: ivr.Resident{Name: "张三"}, Today: c.Now()})
	if err != nil {
		t.Fatalf("run sample script: %v", err)
	}
	return res
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
