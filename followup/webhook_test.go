package followup

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var testSecret = []byte("0123456789abcdef-secret")

// receiver is a webhook endpoint that verifies every request, fails the
// first failFirst requests of each event with 500, and records what it
// accepted (deduplicating by event id, as a receiver should).
type receiver struct {
	t         *testing.T
	now       func() time.Time
	failFirst int

	mu       sync.Mutex
	tries    map[string]int
	accepted map[string]int // event id → accepted deliveries
	bodies   map[string][]byte
	order    []string
	bad      int
}

func newReceiver(t *testing.T, now func() time.Time, failFirst int) (*receiver, *httptest.Server) {
	r := &receiver{t: t, now: now, failFirst: failFirst, tries: map[string]int{}, accepted: map[string]int{},
		bodies: map[string][]byte{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := Verify(testSecret, req.Header, body, r.now(), time.Minute); err != nil {
		r.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	id := req.Header.Get(HeaderEventID)
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil || p.ID != id {
		r.bad++
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	r.tries[id]++
	if r.tries[id] <= r.failFirst {
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	if r.accepted[id] == 0 {
		r.order = append(r.order, id)
	}
	r.accepted[id]++
	r.bodies[id] = body
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) snapshot() (tries, accepted map[string]int, bad int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	tries, accepted = map[string]int{}, map[string]int{}
	for k, v := range r.tries {
		tries[k] = v
	}
	for k, v := range r.accepted {
		accepted[k] = v
	}
	return tries, accepted, r.bad
}

type fakeSleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleeper) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	return ctx.Err()
}

type dir map[int64]Contact

func (d dir) Contact(_ context.Context, id int64) (Contact, error) {
	c, ok := d[id]
	if !ok {
		return Contact{}, ErrNotFound
	}
	return c, nil
}

func testEvent(c *clock) Event {
	a := Alert{ID: 3, Key: AlertKey(7, "fever", date("2026-11-28")), ResidentID: 7, CommunityID: 2, Kind: "fever",
		Day: date("2026-11-28"), Status: AlertOpen, Note: "体温 38.5，电话13812345678", Created: c.Now()}
	return NewEvent(EventRaised, a, SystemActor, a.Note, c.Now())
}

func TestWebhookRetriesThenDelivers(t *testing.T) {
	c := newClock("2026-11-28 09:00")
	rcv, srv := newReceiver(t, c.Now, 2)
	sl := &fakeSleeper{}
	w, err := NewWebhook(WebhookConfig{URL: srv.URL + "/hook?token=abc", Secret: testSecret, Now: c.Now,
		Sleep: sl.Sleep, Rand: func() float64 { return 0.5 }, Backoff: Backoff{Base: time.Second, Max: 8 * time.Second},
		Directory: dir{7: {Name: "张三丰", Phone: "+8613812345678"}}})
	if err != nil {
		t.Fatal(err)
	}
	ev := testEvent(c)
	n, err := w.Deliver(context.Background(), ev)
	if err != nil || n != 3 {
		t.Fatalf("Deliver: %d tries, %v; want 3, nil", n, err)
	}
	tries, accepted, bad := rcv.snapshot()
	if bad != 0 || tries[ev.ID] != 3 || accepted[ev.ID] != 1 || len(tries) != 1 {
		t.Fatalf("receiver: tries %v accepted %v bad %d", tries, accepted, bad)
	}
	// Jitter 0.5 with draw 0.5 waits three quarters of each step: 1 s, 2 s.
	if want := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}; !equalDurations(sl.waits, want) {
		t.Errorf("waits %v, want %v", sl.waits, want)
	}
	body := string(rcv.bodies[ev.ID])
	for _, plain := range []string{"张三丰", "13812345678"} {
		if strings.Contains(body, plain) {
			t.Errorf("body carries plaintext %q: %s", plain, body)
		}
	}
	var p Payload
	_ = json.Unmarshal(rcv.bodies[ev.ID], &p)
	if p.Type != "alert.raised" || p.Alert.Name != "张*丰" || !strings.HasSuffix(p.Alert.Phone, "5678") ||
		p.Alert.Kind != "fever" || p.Alert.Day != "2026-11-28" || p.Alert.Status != "open" {
		t.Errorf("payload %+v", p)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWebhookPlaintextWhenConfigured(t *testing.T) {
	c := newClock("2026-11-28 09:00")
	rcv, srv := newReceiver(t, c.Now, 0)
	w, _ := NewWebhook(WebhookConfig{URL: srv.URL, Secret: testSecret, Now: c.Now, Plaintext: true,
		Directory: dir{7: {Name: "张三丰", Phone: "+8613812345678"}}})
	ev := testEvent(c)
	if _, err := w.Deliver(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if body := string(rcv.bodies[ev.ID]); !strings.Contains(body, "+8613812345678") || !strings.Contains(body, "张三丰") {
		t.Errorf("plaintext body lacks the contact: %s", body)
	}
}

func TestWebhookPermanentAndExhausted(t *testing.T) {
	c := newClock("2026-11-28 09:00")
	status := http.StatusBadRequest
	var calls int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(status)
	}))
	defer srv.Close()
	sl := &fakeSleeper{}
	w, _ := NewWebhook(WebhookConfig{URL: srv.URL, Secret: testSecret, Now: c.Now, Sleep: sl.Sleep, Tries: 3,
		Rand: func() float64 { return 0 }})
	_, err := w.Deliver(context.Background(), testEvent(c))
	var de *DeliveryError
	if !errors.As(err, &de) || !de.Permanent || de.Status != 400 || calls != 1 {
		t.Fatalf("400: err %v calls %d, want one permanent failure", err, calls)
	}
	status, calls = http.StatusTooManyRequests, 0
	n, err := w.Deliver(context.Background(), testEvent(c))
	if !errors.As(err, &de) || de.Permanent || n != 3 || calls != 3 {
		t.Fatalf("429: %d tries err %v calls %d", n, err, calls)
	}
	if !equalDurations(sl.waits, []time.Duration{5 * time.Second, 5 * time.Second}) {
		t.Errorf("Retry-After not honoured: %v", sl.waits)
	}
}

func TestWebhookConfigChecked(t *testing.T) {
	for _, cfg := range []WebhookConfig{{URL: "ftp://x/", Secret: testSecret}, {URL: "http://x/", Secret: []byte("short")},
		{URL: "://", Secret: testSecret}} {
		if _, err := NewWebhook(cfg); err == nil {
			t.Errorf("NewWebhook(%q) accepted", cfg.URL)
		}
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt_1"}`)
	good := Sign(testSecret, now.Unix(), body)
	other := Sign([]byte("another-secret-0123"), now.Unix(), body)
	hdr := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set(HeaderTimestamp, ts)
		}
		if sig != "" {
			h.Set(HeaderSignature, sig)
		}
		return h
	}
	ts := "1800000000"
	cases := []struct {
		name string
		h    http.Header
		body []byte
		now  time.Time
		want error
	}{
		{"valid", hdr(ts, good), body, now, nil},
		{"rotation: second signature", hdr(ts, other+", "+good), body, now, nil},
		{"within tolerance", hdr(ts, good), body, now.Add(59 * time.Second), nil},
		{"stale", hdr(ts, good), body, now.Add(2 * time.Minute), ErrStale},
		{"from the future", hdr(ts, good), body, now.Add(-2 * time.Minute), ErrStale},
		{"tampered body", hdr(ts, good), []byte(`{"id":"evt_2"}`), now, ErrBadSignature},
		{"wrong secret", hdr(ts, other), body, now, ErrBadSignature},
		{"timestamp changed", hdr("1800000001", good), body, now, ErrBadSignature},
		{"no scheme", hdr(ts, strings.TrimPrefix(good, "v1=")), body, now, ErrBadSignature},
		{"missing signature", hdr(ts, ""), body, now, ErrNoSignature},
		{"missing timestamp", hdr("", good), body, now, ErrNoSignature},
		{"bad timestamp", hdr("12x", good), body, now, ErrBadTimestamp},
	}
	for _, c := range cases {
		err := Verify(testSecret, c.h, c.body, c.now, time.Minute)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 10 * time.Second, Jitter: 0.5}
	cases := []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{1, 0, time.Second}, {2, 0, 2 * time.Second}, {3, 0.999999, 2*time.Second + 2*time.Microsecond},
		{4, 0, 8 * time.Second}, {5, 0, 10 * time.Second}, {60, 0, 10 * time.Second}, {2, 0.5, 1500 * time.Millisecond},
	}
	for _, c := range cases {
		if got := b.Delay(c.n, c.r); got != c.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", c.n, c.r, got, c.want)
		}
	}
}

func TestWebhookErrorsHideURL(t *testing.T) {
	c := newClock("2026-11-28 09:00")
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/hook?token=s3cr3t-token"
	srv.Close() // nothing listens any more: connection refused
	w, _ := NewWebhook(WebhookConfig{URL: url, Secret: testSecret, Now: c.Now, Sleep: (&fakeSleeper{}).Sleep, Tries: 2})
	n, err := w.Deliver(context.Background(), testEvent(c))
	var de *DeliveryError
	if err == nil || n != 2 || !errors.As(err, &de) || de.Permanent {
		t.Fatalf("Deliver to a closed port: %d tries, %v", n, err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error leaks the URL: %v", err)
	}
}
