package followup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// WebhookConfig configures the signed webhook sender.
type WebhookConfig struct {
	URL       string
	Secret    []byte // HMAC-SHA256 key; at least 16 bytes
	Client    *http.Client
	Tries     int     // HTTP requests per Deliver; default 4
	Backoff   Backoff // between tries; default 1 s doubling to 30 s, jitter 0.5
	Directory Directory
	Plaintext bool // send names and phone numbers unmasked (only if the receiver is entitled to them)
	Now       func() time.Time
	Sleep     func(ctx context.Context, d time.Duration) error // nil = a timer that honours ctx
	Rand      func() float64                                   // jitter draw in [0,1); nil = math/rand/v2
	Logger    *slog.Logger
}

// Webhook delivers alert events to one URL. Safe for concurrent use.
type Webhook struct {
	cfg  WebhookConfig
	host string
	log  *slog.Logger
}

// DeliveryError is a failed request. Permanent errors (a 4xx other than
// 408, 425 and 429) are not retried.
type DeliveryError struct {
	Status     int // 0 = no response
	Permanent  bool
	RetryAfter time.Duration
	Err        error
}

func (e *DeliveryError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("webhook: status %d", e.Status)
	}
	return fmt.Sprintf("webhook: %v", e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// NewWebhook checks cfg and fills in defaults.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webhook url: want http(s)://host/...")
	}
	if len(cfg.Secret) < 16 {
		return nil, errors.New("webhook secret: at least 16 bytes")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Tries <= 0 {
		cfg.Tries = 4
	}
	cfg.Backoff = cfg.Backoff.orDefault(time.Second, 30*time.Second)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	w := &Webhook{cfg: cfg, host: u.Host, log: cfg.Logger}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	return w, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Deliver posts ev until the receiver accepts it (2xx), a permanent error,
// or Tries requests, waiting with backoff between them. The body is built
// once; every request carries the same event id and a fresh timestamp and
// signature. It returns how many requests were made.
func (w *Webhook) Deliver(ctx context.Context, ev Event) (int, error) {
	body, err := encodePayload(ctx, ev, w.cfg.Directory, w.cfg.Plaintext)
	if err != nil {
		return 0, err
	}
	var last error
	for n := 1; n <= w.cfg.Tries; n++ {
		err := w.post(ctx, ev, body)
		if err == nil {
			w.log.Info("webhook delivered", "event", ev.ID, "type", ev.Type.String(), "host", w.host, "tries", n)
			return n, nil
		}
		last = err
		var de *DeliveryError
		if errors.As(err, &de) && de.Permanent {
			return n, fmt.Errorf("deliver %s: %w", ev.ID, err)
		}
		if n == w.cfg.Tries {
			break
		}
		wait := w.cfg.Backoff.Delay(n, w.cfg.Rand())
		if de != nil && de.RetryAfter > wait {
			wait = min(de.RetryAfter, w.cfg.Backoff.Max)
		}
		w.log.Warn("webhook failed, retrying", "event", ev.ID, "host", w.host, "try", n, "wait", wait, "err", err)
		if err := w.cfg.Sleep(ctx, wait); err != nil {
			return n, fmt.Errorf("deliver %s: %w", ev.ID, err)
		}
	}
	return w.cfg.Tries, fmt.Errorf("deliver %s: %d tries: %w", ev.ID, w.cfg.Tries, last)
}

func (w *Webhook) post(ctx context.Context, ev Event, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return &DeliveryError{Permanent: true, Err: err}
	}
	ts := w.cfg.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "outreach-webhook/1")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(w.cfg.Secret, ts, body))
	req.Header.Set(HeaderEventID, ev.ID)
	req.Header.Set(HeaderEventType, ev.Type.String())
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL may hold a token: keep it out of errors and logs
		}
		return &DeliveryError{Err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	de := &DeliveryError{Status: resp.StatusCode}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
	default:
		de.Permanent = resp.StatusCode >= 400 && resp.StatusCode < 500
	}
	// RFC 9110 §10.2.3: Retry-After in seconds (the HTTP-date form is ignored).
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		de.RetryAfter = time.Duration(s) * time.Second
	}
	return de
}
