package storage

import (
	"context"
	"testing"
)

func TestSchedulerLockPostgres(t *testing.T) {
	ctx := context.Background()
	dsn, _ := NewTestSchema(t)
	open := func() *Store {
		s, err := Open(ctx, Config{DSN: dsn, Ring: FixedRing(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	a, b := open().SchedulerLock(), open().SchedulerLock()
	fa, ok, err := a.Acquire(ctx)
	if err != nil || !ok {
		t.Fatalf("first acquire: %v %v", ok, err)
	}
	if f, ok, err := a.Acquire(ctx); err != nil || !ok || f != fa {
		t.Fatalf("renew: %d %v %v", f, ok, err)
	}
	if _, ok, err := b.Acquire(ctx); err != nil || ok {
		t.Fatalf("second holder: %v %v", ok, err)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	fb, ok, err := b.Acquire(ctx)
	if err != nil || !ok || fb <= fa {
		t.Fatalf("after release: fence %d (was %d) %v %v", fb, fa, ok, err)
	}
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSchedulerLockEmbedded(t *testing.T) {
	s := NewTestStore(t, "sqlite", nil)
	l := s.SchedulerLock()
	f, ok, err := l.Acquire(context.Background())
	if err != nil || !ok || f != 1 {
		t.Fatalf("embedded lock: %d %v %v", f, ok, err)
	}
}
