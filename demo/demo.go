package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"outreach/campaigns"
	"outreach/config"
	"outreach/node"
	"outreach/prompts"
	"outreach/sim"
	"outreach/storage"
	"outreach/web"
)

// Options configure a demo run.
type Options struct {
	Residents int            // default 200
	Observed  int            // under observation; default 40
	Lines     int            // concurrent calls; default 50
	Lang      string         // "zh" (default) or "en"
	Out       string         // output folder; default ./outreach-demo
	Seed      uint64         // roster seed; default 1
	Serve     bool           // keep the console open after the run (until ctx ends)
	OnReady   func(*Summary) // with Serve: called once the console is up
	Progress  io.Writer
	TTY       bool // Progress is a terminal: redraw one line
	Logger    *slog.Logger
}

func (o *Options) defaults() {
	if o.Residents <= 0 {
		o.Residents = 200
	}
	if o.Observed <= 0 || o.Observed > o.Residents {
		o.Observed = min(40, o.Residents)
	}
	if o.Lines <= 0 {
		o.Lines = 50
	}
	if o.Lang == "" {
		o.Lang = "zh"
	}
	if o.Out == "" {
		o.Out = "outreach-demo"
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Run runs the demo and returns its summary.
func Run(ctx context.Context, o Options) (*Summary, error) {
	o.defaults()
	if o.Lang != "zh" && o.Lang != "en" {
		return nil, fmt.Errorf("demo: --lang %q: want zh or en", o.Lang)
	}
	data := filepath.Join(o.Out, "data")
	if err := os.RemoveAll(data); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	members := Roster(o.Residents, o.Observed, o.Seed)
	if err := writeShipped(filepath.Join(o.Out, "prompts")); err != nil {
		return nil, err
	}
	stmt, err := statementTime(ctx, o.Lang, filepath.Join(o.Out, "prompts"))
	if err != nil {
		return nil, err
	}
	voice, refs, err := writeSpeech(filepath.Join(o.Out, "speech"), o.Lang)
	if err != nil {
		return nil, err
	}
	srv, err := sim.New(sim.Config{Listen: "127.0.0.1:0", Personas: simRules(members, stmt, voice), Logger: o.Logger})
	if err != nil {
		return nil, fmt.Errorf("demo: sim: %w", err)
	}
	if err := srv.Start(ctx); err != nil {
		return nil, fmt.Errorf("demo: sim: %w", err)
	}
	defer srv.Stop()
	cfg, err := demoConfig(o, data, srv.Addr(), refs)
	if err != nil {
		return nil, err
	}
	roles := node.Roles{Scheduler: true, Robot: true, API: o.Serve}
	if o.Serve && o.OnReady == nil {
		o.OnReady = func(*Summary) {}
	}
	tts := &placeholder{next: &prompts.EspeakEngine{Logger: o.Logger}, log: o.Logger}
	n, err := node.New(ctx, node.Options{Config: cfg, Roles: roles, Logger: o.Logger, TTS: tts})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer n.Stop()
	camp, err := seed(ctx, n, o, members)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := n.Start(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := n.Tick(ctx); err != nil {
		return nil, fmt.Errorf("demo: schedule: %w", err)
	}
	if _, err := n.Controller().Do(ctx, camp.ID, campaigns.ActionStart); err != nil {
		return nil, fmt.Errorf("demo: launch: %w", err)
	}
	if err := watch(ctx, n, camp, o.Progress, o.TTY, start); err != nil {
		return nil, err
	}
	sum, err := summarize(ctx, n, camp, members, srv, time.Since(start))
	if err != nil {
		return nil, err
	}
	if sum.Report, err = writeReport(ctx, n, camp, o.Out); err != nil {
		return nil, err
	}
	if o.Serve {
		if sum.Login, err = demoLogin(ctx, n); err != nil {
			return nil, err
		}
		sum.Console = "http://" + n.APIAddr() + "/"
		o.OnReady(sum)
		<-ctx.Done()
	}
	return sum, nil
}

// demoLogin creates an administrator with a fresh random password.
func demoLogin(ctx context.Context, n *node.Node) (string, error) {
	var b [9]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	pw := base64.RawURLEncoding.EncodeToString(b[:])
	hash, err := web.HashPassword(pw)
	if err != nil {
		return "", err
	}
	_, err = n.Store().CreateUser(ctx, storage.User{Username: "demo", DisplayName: "演示管理员", Role: storage.RoleAdmin, PasswordHash: hash})
	if err != nil {
		return "", fmt.Errorf("demo: login: %w", err)
	}
	return "demo / " + pw, nil
}

// demoConfig is the configuration of the demo node: embedded store and
// Redis, one trunk to the simulated residents, shipped prompts, and speech
// understood by the template engine over the references in refs.
func demoConfig(o Options, data, simAddr, refs string) (*config.Config, error) {
	c := &config.Config{DataDir: data, Org: "幸福街道", Trunks: []config.Trunk{{Name: "sim", Addr: simAddr,
		CallerID: "02100000000", MaxCalls: o.Lines, CPS: 100,
		Rewrite: []config.Rewrite{{Match: `^\+86`, Replace: ""}}}}} // Chinese trunks take national numbers
	if o.Lang == "en" {
		c.Org = "Happiness Street office"
	}
	c.SIP.Listen = "127.0.0.1:0"
	c.API.Listen = "127.0.0.1:0"
	c.Robot.Lines, c.Robot.RingTimeout = o.Lines, 10*time.Second
	c.Robot.DrainTimeout = 5 * time.Second
	c.Prompts.Shipped = filepath.Join(o.Out, "prompts") // written by Run
	c.ASR.Engine, c.ASR.TemplateDir = "template", refs
	c.Scheduler.Interval = time.Second
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("demo config: %w", err)
	}
	return c, nil
}
