package robot

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/ivr"
)

// recordingVoice remembers the resident prompts pre-rendered, in order.
type recordingVoice struct {
	mu     sync.Mutex
	texts  []string
	calls  int
	dialed chan struct{} // closed by the dialer: later renders wait for it
}

func (v *recordingVoice) Render(context.Context, ivr.Prompt) ([]int16, error) { return nil, nil }

func (v *recordingVoice) PrerenderResident(ctx context.Context, _ *ivr.Script, texts []string) error {
	v.mu.Lock()
	v.calls++
	later := v.calls > 1
	v.mu.Unlock()
	if later { // the rest: rendered while the call rings, so after the dial
		select {
		case <-v.dialed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.texts = append(v.texts, texts...)
	return nil
}

func (v *recordingVoice) rendered() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.texts)
}

// busyDialer notes what had been rendered when the call was placed.
type busyDialer struct {
	voice    *recordingVoice
	atDialed []string
}

func (d *busyDialer) Dial(context.Context, dialer.Request) (*dialer.Call, error) {
	d.atDialed = d.voice.rendered()
	close(d.voice.dialed)
	return nil, errors.New("dial trunk: 486 Busy Here")
}

// The opening prompts are ready when the resident is dialed; the others
// are rendered by the time Run returns (none is lost, none waits for the
// whole set before dialing).
func TestPrerenderOpeningBeforeDial(t *testing.T) {
	sc, err := ivr.LoadFile("../scripts/samples/daily-health-check.zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data := ivr.Data{Org: "幸福街道", Resident: ivr.Resident{Name: "张三华"}}
	all := ivr.NewEngine(sc, ivr.Options{}).ResidentPrompts(data, testNow())
	if len(all) <= openingPrompts {
		t.Fatalf("script has %d resident prompts; the test needs more than %d", len(all), openingPrompts)
	}
	v := &recordingVoice{dialed: make(chan struct{})}
	d := &busyDialer{voice: v}
	r := &Robot{Dialer: d, Voice: v, Now: testNow}
	rep := r.Run(context.Background(), Job{Trunk: "t", Number: "+8613800000001", Script: sc, Data: data})
	if rep.Outcome == "" {
		t.Fatalf("report %+v", rep)
	}
	if !slices.Equal(d.atDialed, all[:openingPrompts]) {
		t.Fatalf("at dial time rendered %q, want just the opening %q", d.atDialed, all[:openingPrompts])
	}
	got := v.rendered()
	slices.Sort(got)
	want := slices.Clone(all)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("after Run rendered %q, want every resident prompt %q", got, want)
	}
}

func testNow() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) }
