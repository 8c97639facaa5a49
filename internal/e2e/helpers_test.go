package e2e

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/media"
	"outreach/sim"
)

// testLogger writes warnings and errors to the test log when E2E_DEBUG is
// set (debug level with E2E_DEBUG=debug), and discards them otherwise.
func testLogger(t testing.TB) *slog.Logger {
	lv := os.Getenv("E2E_DEBUG")
	if lv == "" {
		return slog.New(slog.DiscardHandler)
	}
	level := slog.LevelWarn
	if lv == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(dialer.NewMaskHandler(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: level})))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// startDialer starts a dialer on an ephemeral loopback port with the given
// trunks (the caller ID defaults to "robot") and stops it when the test ends.
func startDialer(t testing.TB, trunks ...dialer.Trunk) *dialer.Dialer {
	t.Helper()
	for i := range trunks {
		if trunks[i].CallerID == "" {
			trunks[i].CallerID = "robot"
		}
	}
	d, err := dialer.New(dialer.Config{Trunks: trunks, ListenAddr: "127.0.0.1:0", Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("dialer: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Start(ctx); err != nil {
		t.Fatalf("dialer start: %v", err)
	}
	t.Cleanup(d.Stop)
	return d
}

// startSimYAML starts sim on an ephemeral loopback port with the personas
// of a YAML document (the --personas format); it stops when ctx ends or the
// test does.
func startSimYAML(t testing.TB, ctx context.Context, personas string) *sim.Server {
	t.Helper()
	rules, mix, err := sim.ParsePersonas([]byte(personas))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.New(sim.Config{Listen: "127.0.0.1:0", Personas: rules, Default: mix})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// dialErr dials and expects a failure; it returns the *dialer.Error.
func dialErr(t testing.TB, d *dialer.Dialer, req dialer.Request) *dialer.Error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := d.Dial(ctx, req)
	if err == nil {
		_ = c.Hangup(ctx)
		t.Fatalf("dial %s: answered, want a failure", req.Number)
	}
	var de *dialer.Error
	if !errors.As(err, &de) {
		t.Fatalf("dial %s: %v is not a *dialer.Error", req.Number, err)
	}
	return de
}

// dialOK dials and expects an answer; the call is hung up at cleanup if the
// test did not end it.
func dialOK(t testing.TB, d *dialer.Dialer, req dialer.Request) *dialer.Call {
	t.Helper()
	// ctx governs the whole call (cancelled after answer = BYE): it lives
	// until the test ends.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c, err := d.Dial(ctx, req)
	if err != nil {
		t.Fatalf("dial %s: %v", req.Number, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.Hangup(ctx)
	})
	return c
}

// collectDigits reads digits until want has as many keys or d passes, then
// keeps listening for extra (duplicate) keys for a short grace period.
func collectDigits(c *dialer.Call, n int, d, grace time.Duration) string {
	var got strings.Builder
	timeout := time.NewTimer(d)
	defer timeout.Stop()
	for {
		select {
		case r := <-c.Digits():
			got.WriteRune(r)
			if len([]rune(got.String())) == n {
				timeout.Reset(grace)
			}
		case <-timeout.C:
			return got.String()
		case <-c.Done():
			// drain what is already queued
			for {
				select {
				case r := <-c.Digits():
					got.WriteRune(r)
				default:
					return got.String()
				}
			}
		}
	}
}

// collectFrames copies incoming audio for d (or until the call ends).
func collectFrames(c *dialer.Call, d time.Duration) []int16 {
	var pcm []int16
	timeout := time.NewTimer(d)
	defer timeout.Stop()
	frames := c.Frames()
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				return pcm
			}
			pcm = append(pcm, f...)
		case <-timeout.C:
			return pcm
		case <-c.Done():
			return pcm
		}
	}
}

// testTone is the prompt the robot plays: 1 kHz at half scale (about
// -9 dBFS), framed by short silences like a real prompt.
func testTone(d time.Duration) []int16 {
	pcm := media.Silence(100 * time.Millisecond)
	pcm = append(pcm, media.Tone([]float64{1000}, d, 0.5)...)
	return append(pcm, media.Silence(100*time.Millisecond)...)
}

// toneIn reports the strongest 1 s window's share of energy at freq in pcm
// (Goertzel, media.ToneLevel), so leading silence or ringback do not dilute it.
func toneIn(pcm []int16, freq float64) float64 {
	const win = media.SampleRate / 2
	best := 0.0
	for off := 0; off+win <= len(pcm); off += win / 2 {
		if l := media.ToneLevel(pcm[off:off+win], freq); l > best {
			best = l
		}
	}
	if len(pcm) < win && len(pcm) > 0 {
		best = media.ToneLevel(pcm, freq)
	}
	return best
}

// audible returns the duration of frames louder than -40 dBFS.
func audible(pcm []int16) time.Duration {
	var n int
	for off := 0; off+media.FrameSamples <= len(pcm); off += media.FrameSamples {
		if media.DBFS(pcm[off:off+media.FrameSamples]) > -40 {
			n++
		}
	}
	return time.Duration(n) * media.FrameDuration
}

// writeToneWAV writes a WAV of freq Hz lasting d into dir.
func writeToneWAV(t testing.TB, dir, name string, freqs []float64, d time.Duration) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := media.WriteWAVFile(p, media.Tone(freqs, d, 0.5), media.SampleRate); err != nil {
		t.Fatal(err)
	}
	return p
}

// poll waits until cond holds or d passes; it reports whether cond held.
func poll(d time.Duration, cond func() bool) bool { return waitFor(d, cond) }
