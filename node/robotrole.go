package node

import (
	"context"
	"fmt"
	"os"
	"time"

	"outreach/asr"
	"outreach/campaigns"
	"outreach/dialer"
	"outreach/prompts"
	"outreach/robot"
)

// startRobot runs the dialer and the dispatcher that claims tasks and
// places calls with the robot.
func (n *Node) startRobot(ctx context.Context) error {
	if len(n.cfg.Trunks) == 0 {
		return fmt.Errorf("robot role: no trunks configured (add trunks: to the configuration, see config/example.yaml)")
	}
	gc := dialer.ApplyGCPercent(n.cfg.Robot.GCPercent)
	n.log.Info("robot GC target", "gogc", gc)
	d, err := n.newDialer()
	if err != nil {
		return err
	}
	if err := d.Start(ctx); err != nil {
		return fmt.Errorf("start dialer: %w", err)
	}
	n.own(stopFunc(d.Stop))
	n.dialer = d
	bot, err := n.newRobot(d)
	if err != nil {
		return err
	}
	voice, _ := bot.Voice.(*robot.PromptVoice)
	placer := &robot.Placer{Robot: bot, Scripts: &scripts{store: n.store, voice: voice, log: n.log}, Residents: residents{store: n.store, org: n.cfg.Org},
		Results: results{store: n.store}, Followups: n.follow,
		RingTimeout: n.cfg.Robot.RingTimeout, MaxDuration: n.cfg.Robot.MaxDuration}
	if err := n.setTrunkLimits(ctx); err != nil {
		return err
	}
	n.keepTrunkLimits(ctx)
	disp, err := campaigns.NewDispatcher(campaigns.DispatcherConfig{Worker: n.workerID(), Queue: n.queue,
		Tasks: n.store.TaskStore(), Rules: n.store, Placer: counted{next: placer, m: n.metrics}, Handoff: n.follow, Now: n.now,
		OnRecover: func(campaigns.Lease) { n.metrics.recoveries.Inc() },
		Lines:     n.cfg.Robot.Lines, RenewEvery: n.cfg.Robot.Lease / 3, RecoverEvery: max(n.cfg.Robot.Lease/6, time.Second),
		Logger: n.log})
	if err != nil {
		return err
	}
	// Calls run on their own context: SIGTERM stops claiming, lets live calls
	// finish for the drain timeout, then cancels them (BYE, interrupted).
	callCtx, hangUp := context.WithCancel(context.WithoutCancel(ctx))
	disp.Start(callCtx)
	n.own(stopFunc(func() { n.drain(disp, hangUp) }))
	return nil
}

func (n *Node) drain(disp *campaigns.Dispatcher, hangUp context.CancelFunc) {
	done := make(chan struct{})
	go func() { disp.Stop(); close(done) }()
	t := time.NewTimer(n.cfg.Robot.DrainTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		n.log.Warn("drain timeout: hanging up live calls", "timeout", n.cfg.Robot.DrainTimeout)
		hangUp()
		<-done
	}
	hangUp()
}

func (n *Node) workerID() string {
	if n.cfg.Robot.Worker != "" {
		return n.cfg.Robot.Worker
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

func (n *Node) newDialer() (*dialer.Dialer, error) {
	cfg := dialer.Config{ListenAddr: n.cfg.SIP.Listen, PublicAddr: n.cfg.SIP.PublicAddr, UserAgent: n.cfg.SIP.UserAgent,
		RTPPortMin: n.cfg.RTP.PortMin, RTPPortMax: n.cfg.RTP.PortMax, MediaTimeout: n.cfg.RTP.MediaTimeout,
		MaxRetryAfter: n.cfg.SIP.MaxRetryAfter, Logger: n.log, Now: n.now}
	for _, t := range n.cfg.Trunks {
		dt := dialer.Trunk{Name: t.Name, Addr: t.Addr, Transport: t.Transport, Username: t.Username, Password: t.Password,
			Realm: t.Realm, Register: t.Register, RegisterExpiry: t.RegisterExpiry, CallerID: t.CallerID,
			CallerName: t.CallerName, MaxCalls: t.MaxCalls, CPS: t.CPS, OptionsInterval: t.OptionsInterval}
		for _, r := range t.Rewrite {
			dt.Rewrite = append(dt.Rewrite, dialer.RewriteRule{Match: r.Match, Replace: r.Replace})
		}
		cfg.Trunks = append(cfg.Trunks, dt)
	}
	d, err := dialer.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("dialer: %w", err)
	}
	return d, nil
}

func (n *Node) newRobot(d *dialer.Dialer) (*robot.Robot, error) {
	r, err := n.renderer()
	if err != nil {
		return nil, err
	}
	bot := &robot.Robot{Dialer: d, Voice: &robot.PromptVoice{Renderer: r, Audio: prompts.NewAudioFiles(16 << 20)},
		LeadIn: r.LeadInAudio(), Now: n.now, Logger: n.log}
	if n.cfg.ASR.Engine != "" {
		rec, err := asr.New(asr.Config{Engine: n.cfg.ASR.Engine, URL: n.cfg.ASR.URL, APIKey: n.cfg.ASR.Key,
			TemplateDir: n.cfg.ASR.TemplateDir, Logger: n.log})
		if err != nil {
			return nil, fmt.Errorf("asr: %w", err)
		}
		bot.Ears = &robot.Ears{Recognizer: rec}
	}
	return bot, nil
}

// renderer builds the TTS renderer: the configured engine behind the
// prompts shipped with the sample scripts, with the disk cache.
func (n *Node) renderer() (*prompts.Renderer, error) {
	var eng prompts.Engine = &prompts.EspeakEngine{Logger: n.log}
	if n.cfg.Prompts.Engine == "http" {
		h, err := prompts.NewHTTPEngine(prompts.HTTPConfig{URL: n.cfg.Prompts.HTTPURL, APIKey: n.cfg.Prompts.HTTPKey,
			Model: n.cfg.Prompts.Model, Logger: n.log})
		if err != nil {
			return nil, fmt.Errorf("prompts: %w", err)
		}
		eng = h
	}
	if n.opts.TTS != nil {
		eng = n.opts.TTS
	}
	cache, err := prompts.NewCache(n.cfg.Prompts.CacheDir, 32<<20, n.log)
	if err != nil {
		return nil, fmt.Errorf("prompt cache: %w", err)
	}
	if n.cfg.Prompts.Shipped != "" {
		if s, err := prompts.NewShippedEngine(n.cfg.Prompts.Shipped, eng, n.log); err == nil {
			eng = s
		}
	}
	return &prompts.Renderer{Engine: eng, Cache: cache, LeadIn: n.cfg.Prompts.LeadIn, Rate: n.cfg.Prompts.Rate,
		Volume: n.cfg.Prompts.Volume, Logger: n.log}, nil
}

// setTrunkLimits publishes this process's trunk limits to the queue, where
// every robot's claims honour them.
func (n *Node) setTrunkLimits(ctx context.Context) error {
	for _, t := range n.cfg.Trunks {
		if err := n.queue.SetTrunkLimits(ctx, t.Name, campaigns.Limits{MaxLines: t.MaxCalls, CPS: t.CPS}); err != nil {
			return fmt.Errorf("trunk limits: %w", err)
		}
	}
	return nil
}

// keepTrunkLimits re-publishes the trunk limits every third of a lease: if
// Redis was flushed or replaced, the limits are back before the reconciler
// has restored the queue, so no robot claims past a trunk's line limit.
func (n *Node) keepTrunkLimits(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(n.cfg.Robot.Lease/3, 100*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := n.setTrunkLimits(ctx); err != nil && ctx.Err() == nil {
					n.log.Warn("re-publish trunk limits", "err", err)
				}
			}
		}
	}()
	n.own(stopFunc(func() { cancel(); <-done }))
}
