package storagetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"outreach/storage"
)

func testSessions(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	uid := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "li", Role: storage.RoleOperator}))
	other := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "zhao", Role: storage.RoleOperator}))
	mk := func(id string, user int64, ttl time.Duration) storage.Session {
		return storage.Session{ID: id, UserID: user, CSRF: "csrf-" + id, Created: t0, Expires: t0.Add(ttl)}
	}
	for _, x := range []storage.Session{mk("a", uid, time.Hour), mk("b", uid, 2*time.Hour), mk("c", other, time.Hour)} {
		if err := s.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, mk("a", uid, time.Hour)); err == nil {
		t.Fatal("duplicate session id accepted")
	}
	got := must[storage.Session](t)(s.Session(ctx, "a", t0.Add(time.Minute)))
	if want := mk("a", uid, time.Hour); got.UserID != uid || got.CSRF != want.CSRF ||
		!got.Created.Equal(want.Created) || !got.Expires.Equal(want.Expires) {
		t.Fatalf("round trip: %+v", got)
	}
	for _, c := range []struct {
		id   string
		at   time.Time
		live bool
	}{
		{"a", t0.Add(time.Hour - time.Microsecond), true},
		{"a", t0.Add(time.Hour), false}, // expiry is exclusive
		{"b", t0.Add(time.Hour), true},
		{"missing", t0, false},
	} {
		_, err := s.Session(ctx, c.id, c.at)
		if c.live && err != nil || !c.live && !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("session %s at %v: %v, want live %v", c.id, c.at, err, c.live)
		}
	}
	if err := s.DeleteSession(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "c"); err != nil {
		t.Fatalf("delete twice: %v", err)
	}
	if _, err := s.Session(ctx, "c", t0); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
	if n := must[int64](t)(s.DeleteUserSessions(ctx, uid)); n != 2 {
		t.Fatalf("user sessions deleted: %d", n)
	}
	if _, err := s.Session(ctx, "b", t0); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("session of signed-out user: %v", err)
	}
}

func testSessionsPurge(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	uid := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "qian", Role: storage.RoleOperator}))
	for i, ttl := range []time.Duration{time.Hour, 3 * time.Hour} {
		id := string(rune('p' + i))
		if err := s.CreateSession(ctx, storage.Session{ID: id, UserID: uid, CSRF: "x", Created: t0, Expires: t0.Add(ttl)}); err != nil {
			t.Fatal(err)
		}
		rec := storage.IdemRecord{UserID: uid, Key: id, Fingerprint: "f", Expires: t0.Add(ttl)}
		if _, fresh, err := s.BeginIdempotent(ctx, rec, t0); err != nil || !fresh {
			t.Fatalf("begin %s: %v %v", id, fresh, err)
		}
	}
	if n := must[int64](t)(s.PurgeExpired(ctx, t0.Add(time.Hour))); n != 2 {
		t.Fatalf("purged %d rows, want one session and one key", n)
	}
	if _, err := s.Session(ctx, "q", t0.Add(time.Hour)); err != nil {
		t.Fatalf("live session purged: %v", err)
	}
	rec := storage.IdemRecord{UserID: uid, Key: "q", Fingerprint: "other", Expires: t0.Add(25 * time.Hour)}
	if old, fresh, err := s.BeginIdempotent(ctx, rec, t0.Add(time.Hour)); err != nil || fresh || old.Fingerprint != "f" {
		t.Fatalf("live key purged: %+v %v %v", old, fresh, err)
	}
	if n := must[int64](t)(s.PurgeExpired(ctx, t0.Add(time.Hour))); n != 0 {
		t.Fatalf("purged %d rows twice", n)
	}
}

func testIdempotency(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	uid := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "sun", Role: storage.RoleOperator}))
	other := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "zhou", Role: storage.RoleOperator}))
	begin := func(user int64, key, fp string, now time.Time) (storage.IdemRecord, bool) {
		t.Helper()
		rec := storage.IdemRecord{UserID: user, Key: key, Fingerprint: fp, Expires: now.Add(24 * time.Hour)}
		got, fresh, err := s.BeginIdempotent(ctx, rec, now)
		if err != nil {
			t.Fatal(err)
		}
		return got, fresh
	}
	if got, fresh := begin(uid, "k", "f1", t0); !fresh || got.Done || got.Fingerprint != "f1" {
		t.Fatalf("first begin: %+v %v", got, fresh)
	}
	if got, fresh := begin(uid, "k", "f1", t0); fresh || got.Done {
		t.Fatalf("begin while running: %+v %v", got, fresh)
	}
	if _, fresh := begin(other, "k", "f1", t0); !fresh {
		t.Fatal("keys are not scoped by user")
	}
	done := storage.IdemRecord{UserID: uid, Key: "k", Fingerprint: "f1", Status: 201, ContentType: "application/json",
		Body: []byte(`{"id":1}`), Expires: t0.Add(24 * time.Hour)}
	if err := s.FinishIdempotent(ctx, done); err != nil {
		t.Fatal(err)
	}
	if err := s.AbortIdempotent(ctx, uid, "k"); err != nil {
		t.Fatal(err)
	}
	got, fresh := begin(uid, "k", "f2", t0.Add(time.Hour))
	if fresh || !got.Done || got.Status != 201 || got.ContentType != "application/json" ||
		!bytes.Equal(got.Body, done.Body) || got.Fingerprint != "f1" || !got.Expires.Equal(done.Expires) {
		t.Fatalf("replay after finish (abort keeps a finished record): %+v %v", got, fresh)
	}
	if got, fresh := begin(uid, "k", "f3", t0.Add(24*time.Hour)); !fresh || got.Done || got.Fingerprint != "f3" {
		t.Fatalf("begin after expiry: %+v %v", got, fresh)
	}
	if err := s.AbortIdempotent(ctx, uid, "k"); err != nil {
		t.Fatal(err)
	}
	if _, fresh := begin(uid, "k", "f4", t0.Add(24*time.Hour)); !fresh {
		t.Fatal("begin after abort")
	}
}

// testIdempotencyRace begins one key from 8 goroutines at once: exactly one
// may run the request.
func testIdempotencyRace(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	uid := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "wu", Role: storage.RoleOperator}))
	const n = 8
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		fresh = make([]bool, n)
		errs  = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			rec := storage.IdemRecord{UserID: uid, Key: "same", Fingerprint: "f", Expires: t0.Add(time.Hour)}
			_, fresh[i], errs[i] = s.BeginIdempotent(ctx, rec, t0)
		})
	}
	close(start)
	wg.Wait()
	winners := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		if fresh[i] {
			winners++
		}
	}
	if winners != 1 {
		t.Fatalf("%d goroutines won the key, want 1", winners)
	}
}
