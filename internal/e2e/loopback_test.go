package e2e

import (
	"context"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/media"
	"outreach/sim"
)

// loopCase is one row of the loopback outcome table: a persona the
// simulated resident plays, and what the dialer and the simulator must see.
type loopCase struct {
	name    string
	number  string
	persona sim.Persona
	ring    time.Duration // Request.RingTimeout (0 = default)

	// failure expectations (answered = false)
	outcome dialer.Outcome
	status  int
	early   float64 // tone frequency expected in Error.EarlyMedia (-1: any audible audio)

	// answered expectations
	answered bool
	run      func(t *testing.T, c *dialer.Call) // what the robot does once answered
	endedBy  string                             // sim CallLog.EndedBy
	simKind  sim.Kind
	heardMin time.Duration // sim must have heard at least this much audio
}

// startSim starts the simulator with one rule per case and Record on.
func startSim(t *testing.T, transport string, cases []loopCase) *sim.Server {
	t.Helper()
	rules := make([]sim.Rule, 0, len(cases))
	for _, c := range cases {
		rules = append(rules, sim.Rule{Match: c.number, Persona: c.persona})
	}
	s, err := sim.New(sim.Config{Listen: transport + "://127.0.0.1:0", Personas: rules, Record: true, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("sim: %v", err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("sim start: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// simLog waits for the finished log of number's only call.
func simLog(t *testing.T, s *sim.Server, number string) sim.CallLog {
	t.Helper()
	var got []sim.CallLog
	ok := poll(10*time.Second, func() bool {
		got = got[:0]
		for _, c := range s.Calls() {
			if c.Number == number {
				got = append(got, c)
			}
		}
		return len(got) == 1 && got[0].Finished
	})
	if !ok {
		t.Fatalf("sim: want one finished call log for %s, have %d (%+v)", number, len(got), got)
	}
	if n := s.InviteCount(number); n != 1 {
		t.Errorf("sim saw %d INVITEs for %s, want exactly 1", n, number)
	}
	return got[0]
}

// playPrompt plays the 1 kHz test prompt, then hangs up.
func playPrompt(t *testing.T, c *dialer.Call) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Play(ctx, testTone(time.Second), false); err != nil {
		t.Errorf("play: %v", err)
	}
	hangup(t, c)
}

func hangup(t *testing.T, c *dialer.Call) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Hangup(ctx); err != nil {
		t.Errorf("hangup: %v", err)
	}
}

// expectDigits plays the prompt while collecting digits; want must arrive
// exactly once each.
func expectDigits(want string) func(t *testing.T, c *dialer.Call) {
	return func(t *testing.T, c *dialer.Call) {
		done := make(chan string, 1)
		go func() { done <- collectDigits(c, len(want), 5*time.Second, 500*time.Millisecond) }()
		playPrompt(t, c)
		if got := <-done; got != want {
			t.Errorf("digits %q, want %q", got, want)
		}
	}
}

func loopCases(t *testing.T) []loopCase {
	dir := t.TempDir()
	speech := writeToneWAV(t, dir, "speech.wav", []float64{440}, time.Second)
	announce := writeToneWAV(t, dir, "kong-hao.wav", []float64{850}, time.Second)
	digits := func(method string, keys string) []sim.DigitAt {
		var ds []sim.DigitAt
		for i, k := range keys {
			ds = append(ds, sim.DigitAt{Digit: k, At: time.Duration(300*(i+1)) * time.Millisecond, Method: method})
		}
		return ds
	}
	ring := 200 * time.Millisecond
	return []loopCase{
		{name: "answer", number: "13800000001", persona: sim.Persona{Name: "answer", Kind: sim.KindAnswer, RingFor: ring},
			answered: true, run: playPrompt, endedBy: sim.EndedByCaller, simKind: sim.KindAnswer, heardMin: 800 * time.Millisecond},
		{name: "busy", number: "13800000002", persona: sim.Persona{Name: "busy", Kind: sim.KindBusy},
			outcome: dialer.Busy, status: 486},
		{name: "no_answer", number: "13800000003", persona: sim.Persona{Name: "noans", Kind: sim.KindNoAnswer},
			ring: time.Second, outcome: dialer.NoAnswer, status: 487},
		{name: "reject", number: "13800000004", persona: sim.Persona{Name: "reject", Kind: sim.KindReject},
			outcome: dialer.Rejected, status: 603},
		{name: "not_in_service_404", number: "13800000005",
			persona: sim.Persona{Name: "konghao", Kind: sim.KindNotInService, RingFor: ring, Announcement: announce},
			outcome: dialer.InvalidNumber, status: 404, early: 850},
		{name: "not_in_service_480", number: "13800000006",
			persona: sim.Persona{Name: "guanji", Kind: sim.KindNotInService, FinalStatus: 480},
			outcome: dialer.Unreachable, status: 480, early: -1},
		{name: "hangup", number: "13800000007",
			persona:  sim.Persona{Name: "hangup", Kind: sim.KindHangup, RingFor: ring, HangupAfter: time.Second},
			answered: true, run: waitCalleeBye, endedBy: sim.EndedByCallee, simKind: sim.KindHangup},
		{name: "digits_rfc4733", number: "13800000008",
			persona:  sim.Persona{Name: "keys", Kind: sim.KindAnswer, RingFor: ring, Digits: digits(sim.MethodRFC4733, "15#")},
			answered: true, run: expectDigits("15#"), endedBy: sim.EndedByCaller, simKind: sim.KindAnswer, heardMin: 800 * time.Millisecond},
		{name: "digits_info", number: "13800000009",
			persona:  sim.Persona{Name: "info", Kind: sim.KindAnswer, RingFor: ring, Digits: digits(sim.MethodInfo, "24*")},
			answered: true, run: expectDigits("24*"), endedBy: sim.EndedByCaller, simKind: sim.KindAnswer, heardMin: 800 * time.Millisecond},
		{name: "speak", number: "13800000010",
			persona:  sim.Persona{Name: "speak", Kind: sim.KindAnswer, RingFor: ring, Speak: speech, SpeakAt: 200 * time.Millisecond},
			answered: true, run: expectSpeech, endedBy: sim.EndedByCaller, simKind: sim.KindAnswer},
		{name: "silent", number: "13800000011", persona: sim.Persona{Name: "silent", Kind: sim.KindSilent, RingFor: ring},
			answered: true, run: expectSilence, endedBy: sim.EndedByCaller, simKind: sim.KindSilent, heardMin: 800 * time.Millisecond},
	}
}

// waitCalleeBye waits for the persona's BYE.
func waitCalleeBye(t *testing.T, c *dialer.Call) {
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("no BYE from the callee")
	}
	r := c.Result()
	if r.HangupBy != "callee" || r.Outcome != dialer.Completed {
		t.Errorf("result %+v, want completed, hung up by callee", r)
	}
	if r.Duration < 900*time.Millisecond || r.Duration > 3*time.Second {
		t.Errorf("duration %v, want about 1 s", r.Duration)
	}
}

// expectSpeech checks the resident's recorded answer (440 Hz) arrives.
func expectSpeech(t *testing.T, c *dialer.Call) {
	pcm := collectFrames(c, 2*time.Second)
	if l := toneIn(pcm, 440); l < 0.5 {
		t.Errorf("440 Hz share of the heard audio %.2f, want > 0.5", l)
	}
	if a := audible(pcm); a < 800*time.Millisecond || a > 1300*time.Millisecond {
		t.Errorf("heard %v of audio, want about 1 s", a)
	}
	hangup(t, c)
}

// expectSilence checks a silent resident sends nothing audible while the
// robot's prompt still reaches them.
func expectSilence(t *testing.T, c *dialer.Call) {
	heard := make(chan []int16, 1)
	go func() { heard <- collectFrames(c, 1500*time.Millisecond) }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Play(ctx, testTone(time.Second), false); err != nil {
		t.Errorf("play: %v", err)
	}
	if a := audible(<-heard); a > 0 {
		t.Errorf("heard %v of audio from a silent resident", a)
	}
	hangup(t, c)
}

// TestLoopbackPersonas is the outcome table: the dialer against the
// simulator over real SIP (UDP and TCP) and RTP, one call per persona kind.
func TestLoopbackPersonas(t *testing.T) {
	cases := loopCases(t)
	for _, transport := range []string{"udp", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, transport, cases)
			d := startDialer(t, dialer.Trunk{Name: "sim", Addr: s.Addr(), Transport: transport})
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					req := dialer.Request{Trunk: "sim", Number: tc.number, RingTimeout: tc.ring}
					if tc.answered {
						checkAnswered(t, s, d, req, tc)
						return
					}
					checkFailed(t, s, d, req, tc)
				})
			}
		})
	}
}

func checkFailed(t *testing.T, s *sim.Server, d *dialer.Dialer, req dialer.Request, tc loopCase) {
	start := time.Now()
	e := dialErr(t, d, req)
	if e.Outcome != tc.outcome || e.Status != tc.status {
		t.Errorf("outcome %v status %d (%v), want %v %d", e.Outcome, e.Status, e, tc.outcome, tc.status)
	}
	if tc.ring > 0 && time.Since(start) < tc.ring {
		t.Errorf("gave up after %v, before the ring timeout %v", time.Since(start), tc.ring)
	}
	switch {
	case tc.early > 0:
		if l := toneIn(e.EarlyMedia, tc.early); l < 0.5 {
			t.Errorf("early media: %.0f Hz share %.2f (%v audible), want the announcement", tc.early, l, audible(e.EarlyMedia))
		}
	case tc.early < 0:
		if a := audible(e.EarlyMedia); a < 300*time.Millisecond {
			t.Errorf("early media: %v audible, want the announcement", a)
		}
	default:
		if len(e.EarlyMedia) != 0 {
			t.Errorf("early media of %d samples without 183", len(e.EarlyMedia))
		}
	}
	log := simLog(t, s, tc.number)
	if log.Answered || log.Status != tc.status {
		t.Errorf("sim log: answered %v status %d, want %d", log.Answered, log.Status, tc.status)
	}
	if tc.outcome == dialer.NoAnswer && log.EndedBy != sim.EndedByCancel {
		t.Errorf("sim log: ended by %q, want CANCEL", log.EndedBy)
	}
}

func checkAnswered(t *testing.T, s *sim.Server, d *dialer.Dialer, req dialer.Request, tc loopCase) {
	c := dialOK(t, d, req)
	tc.run(t, c)
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("call did not end")
	}
	if r := c.Result(); !r.Answered || r.Outcome != dialer.Completed || r.SIPStatus != 200 {
		t.Errorf("result %+v, want answered, completed, 200", r)
	}
	log := simLog(t, s, tc.number)
	if !log.Answered || log.Status != 200 || log.Kind != tc.simKind || log.EndedBy != tc.endedBy || log.Err != "" {
		t.Errorf("sim log: answered %v status %d kind %v ended by %q err %q; want 200 %v ended by %q",
			log.Answered, log.Status, log.Kind, log.EndedBy, log.Err, tc.simKind, tc.endedBy)
	}
	if want := tc.persona.Digits; len(want) > 0 && len(log.DigitsSent) != len(want) {
		t.Errorf("sim pressed %q", log.DigitsSent)
	}
	if tc.heardMin > 0 {
		checkHeard(t, log, tc.heardMin)
	}
}

// checkHeard checks the simulator heard the robot's 1 kHz test prompt: its
// duration, its level (half scale ≈ -9 dBFS) and its frequency.
func checkHeard(t *testing.T, log sim.CallLog, min time.Duration) {
	if log.HeardDuration < min || log.HeardDuration > 1500*time.Millisecond {
		t.Errorf("sim heard %v of audio, want about 1 s", log.HeardDuration)
	}
	if log.HeardEnergyDBFS < -15 || log.HeardEnergyDBFS > -6 {
		t.Errorf("sim heard the prompt at %.1f dBFS, want about -9", log.HeardEnergyDBFS)
	}
	if l := toneIn(log.Heard, 1000); l < 0.5 {
		t.Errorf("1 kHz share of what sim heard %.2f, want > 0.5", l)
	}
	if log.HeardSamples < media.SampleRate {
		t.Errorf("sim decoded %d samples, want at least 1 s", log.HeardSamples)
	}
}
