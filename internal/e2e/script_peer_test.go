package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/ivr"
	"outreach/media"
	"outreach/prompts"
	"outreach/robot"
)

// The tests of this file run a sample script (the notice broadcast: a
// notice, then "press 1 if you heard it") over real calls to third-party
// peers that press keys: sipp at fixed times (RFC 4733 from play_dtmf and
// from sipp's pcaps) and baresip through its control socket. The robot is
// wired as `outreach call --script` wires it: the prompts pre-rendered in
// scripts/samples/prompts first, espeak-ng for the rest (the notice holds
// the office and the date, so it is rendered during the call).

// scriptToday fixes {{.Today}} so the notice always lasts the same
// (about 16.5 s; the sipp scenarios' key times depend on it).
var scriptToday = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// scriptRobot returns a robot over d whose voice reports each node it
// renders on the returned hook.
func scriptRobot(t *testing.T, d *dialer.Dialer) (*robot.Robot, *promptHook) {
	t.Helper()
	samples := filepath.Join(RepoRoot(t), "scripts", "samples")
	eng, err := prompts.NewShippedEngine(filepath.Join(samples, "prompts"), &prompts.EspeakEngine{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if eng.Len() == 0 {
		t.Fatal("no shipped prompts in scripts/samples/prompts: run `go run ./scripts/prerender`")
	}
	hook := &promptHook{Voice: &robot.PromptVoice{Renderer: &prompts.Renderer{Engine: eng}, AudioDir: samples},
		rendered: map[string]chan struct{}{}}
	return &robot.Robot{Dialer: d, Voice: hook}, hook
}

// scriptDialer starts a dialer on an ephemeral loopback port with trunks
// and stops it when the test ends.
func scriptDialer(t *testing.T, trunks ...dialer.Trunk) *dialer.Dialer {
	t.Helper()
	for i := range trunks {
		trunks[i].CallerID = "outreach"
	}
	d, err := dialer.New(dialer.Config{Trunks: trunks, ListenAddr: "127.0.0.1:0", UserAgent: "Outreach"})
	if err != nil {
		t.Fatalf("dialer: %v", err)
	}
	if err := d.Start(context.Background()); err != nil {
		t.Fatalf("dialer start: %v", err)
	}
	t.Cleanup(d.Stop)
	return d
}

// promptHook is a robot.Voice that closes a channel per node the first time
// the node's prompt is rendered (just before it plays).
type promptHook struct {
	robot.Voice
	mu       sync.Mutex
	rendered map[string]chan struct{} // by node
}

func (h *promptHook) ch(key string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.rendered[key]
	if !ok {
		c = make(chan struct{})
		h.rendered[key] = c
	}
	return c
}

// Render implements robot.Voice.
func (h *promptHook) Render(ctx context.Context, p ivr.Prompt) ([]int16, error) {
	pcm, err := h.Voice.Render(ctx, p)
	c := h.ch(p.Node)
	h.mu.Lock()
	select {
	case <-c:
	default:
		close(c)
	}
	h.mu.Unlock()
	return pcm, err
}

// Rendered is closed when node's prompt was first rendered.
func (h *promptHook) Rendered(node string) <-chan struct{} { return h.ch(node) }

func loadSample(t *testing.T, name string) *ivr.Script {
	t.Helper()
	s, err := ivr.LoadFile(filepath.Join(RepoRoot(t), "scripts", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestScriptNoticePeers: sipp presses 1 during the notice (the key waits
// for the question), sipp presses 1 during the question (barge-in), and
// baresip presses 1 a second into the question; each call must record the
// notice as heard and end completed.
func TestScriptNoticePeers(t *testing.T) {
	script := loadSample(t, "notice-broadcast.zh.yaml")
	early := SippUAS(t, "uas_script_notice_early.xml", 1)
	confirm := SippUAS(t, "uas_script_notice_confirm.xml", 1)
	bare := StartBaresip(t, BaresipConfig{User: "13900000077", AudioFile: scriptSilenceWAV(t, 90*time.Second)})
	d := scriptDialer(t, dialer.Trunk{Name: "sipp-early", Addr: early.Addr},
		dialer.Trunk{Name: "sipp-confirm", Addr: confirm.Addr}, dialer.Trunk{Name: "baresip", Addr: bare.Addr})
	data := ivr.Data{Org: "幸福社区", Resident: ivr.Resident{Name: "张三华"}, Today: scriptToday}
	job := func(trunk, number string) robot.Job {
		return robot.Job{Trunk: trunk, Number: number, Script: script, Data: data,
			RingTimeout: 10 * time.Second, MaxDuration: 90 * time.Second}
	}
	sipps := map[string]*Sipp{"sipp-early": early, "sipp-confirm": confirm}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var wg sync.WaitGroup
	reports := map[string]*robot.Report{}
	var mu sync.Mutex
	for trunk := range sipps {
		bot, _ := scriptRobot(t, d)
		wg.Go(func() {
			rep := bot.Run(ctx, job(trunk, "13900000090"))
			mu.Lock()
			reports[trunk] = rep
			mu.Unlock()
		})
	}
	bareRobot, hook := scriptRobot(t, d)
	pressErr := make(chan error, 1)
	wg.Go(func() {
		// The resident presses 1 a second into "press 1 if you heard it".
		select {
		case <-hook.Rendered("confirm"):
		case <-ctx.Done():
			pressErr <- ctx.Err()
			return
		}
		timer := time.NewTimer(time.Second)
		defer timer.Stop()
		select {
		case <-timer.C:
			pressErr <- bare.SendDigits("1")
		case <-ctx.Done():
			pressErr <- ctx.Err()
		}
	})
	wg.Go(func() {
		rep := bareRobot.Run(ctx, job("baresip", "13900000077"))
		mu.Lock()
		reports["baresip"] = rep
		mu.Unlock()
	})
	wg.Wait()

	for _, trunk := range []string{"sipp-early", "sipp-confirm", "baresip"} {
		t.Run(trunk, func(t *testing.T) {
			checkNoticeHeard(t, reports[trunk])
			if s, ok := sipps[trunk]; ok {
				wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer wcancel()
				if code := s.Wait(wctx); code != 0 {
					t.Errorf("sipp exit code %d, want 0 (one successful call)", code)
				}
			}
		})
	}
	t.Run("baresip-heard", func(t *testing.T) {
		if err := <-pressErr; err != nil {
			t.Fatalf("press 1 on baresip: %v", err)
		}
		checkBaresipHeard(t, bare, 15*time.Second)
	})
}

// checkNoticeHeard checks a notice-broadcast call: answered, the key 1
// recorded as "heard" by DTMF on the first asking, and a completed script.
func checkNoticeHeard(t *testing.T, rep *robot.Report) {
	t.Helper()
	if rep == nil || rep.Script == nil {
		t.Fatalf("no script result: %+v", rep)
	}
	res := rep.Script
	var b []string
	for _, ev := range res.Transcript {
		b = append(b, fmt.Sprintf("%6.1fs %s %s %s", ev.At.Seconds(), ev.Kind, ev.Node, ev.Detail))
	}
	t.Logf("outcome %s, dtmf %q, transcript:\n%s", rep.Outcome, rep.DTMF, joinLines(b))
	if rep.ScriptErr != nil {
		t.Errorf("script error: %v", rep.ScriptErr)
	}
	if rep.Outcome != "completed" || !rep.Answered || res.Status != ivr.StatusCompleted || res.EndNode != "thanks" {
		t.Errorf("outcome %s answered %v status %s end %q, want completed, true, completed, thanks",
			rep.Outcome, rep.Answered, res.Status, res.EndNode)
	}
	a, ok := res.Answer("confirm")
	if !ok || a.Value != true || a.Method != ivr.MethodDTMF || a.Raw != "1" || a.Attempts != 1 {
		t.Errorf("confirm answer %+v (found %v), want yes by DTMF key 1 on the first attempt", a, ok)
	}
	if !slices.Contains(res.Flags, "heard") {
		t.Errorf("flags %q lack heard", res.Flags)
	}
	if rep.DTMF != "1" {
		t.Errorf("keys %q, want \"1\"", rep.DTMF)
	}
}

// checkBaresipHeard reads baresip's decoder dump (what it received) and
// checks it holds at least min of audible prompt audio.
func checkBaresipHeard(t *testing.T, b *Baresip, min time.Duration) {
	t.Helper()
	var heard time.Duration
	var level float64
	ok := waitFor(5*time.Second, func() bool {
		path, err := b.HeardFile()
		if err != nil {
			return false
		}
		pcm, err := media.ReadWAVFile(path)
		if err != nil {
			return false
		}
		heard, level = scriptAudible(pcm)
		return heard >= min
	})
	if !ok {
		t.Fatalf("baresip heard %v of audible audio (mean %.1f dBFS), want at least %v", heard, level, min)
	}
	t.Logf("baresip heard %v of audible audio at %.1f dBFS", heard, level)
	if level < -35 {
		t.Errorf("baresip heard the prompts at %.1f dBFS: too quiet", level)
	}
}

// scriptAudible sums the 20 ms frames above -45 dBFS and their mean level.
func scriptAudible(pcm []int16) (time.Duration, float64) {
	var n int
	var sum float64
	for i := 0; i+media.FrameSamples <= len(pcm); i += media.FrameSamples {
		if db := media.DBFS(pcm[i : i+media.FrameSamples]); db > -45 {
			n++
			sum += db
		}
	}
	if n == 0 {
		return 0, media.MinDBFS
	}
	return time.Duration(n) * media.FrameDuration, sum / float64(n)
}

// scriptSilenceWAV writes d of silence for baresip to send (it hangs up
// when its audio file ends).
func scriptSilenceWAV(t *testing.T, d time.Duration) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "silence.wav")
	if err := media.WriteWAVFile(path, media.Silence(d), media.SampleRate); err != nil {
		t.Fatal(err)
	}
	return path
}

func joinLines(l []string) string {
	out := ""
	for _, s := range l {
		out += s + "\n"
	}
	return out
}
