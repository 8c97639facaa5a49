package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"outreach/asr"
	"outreach/dialer"
	"outreach/ivr"
	"outreach/media"
	"outreach/prompts"
	"outreach/robot"
)

// callFlags are the flags of `outreach call`.
type callFlags struct {
	trunk, transport, username, password, from string
	play, record, script, listen, cacheDir     string
	asrEngine, asrURL, asrTemplates            string
	digits                                     int
	terminator                                 string
	ringTimeout, maxDuration, digitTimeout     time.Duration
	asJSON                                     bool
	vars                                       multiFlag
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func parseCallFlags(e *env, args []string) (*callFlags, string, error) {
	f := &callFlags{}
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.trunk, "trunk", "", "trunk address HOST:PORT (required)")
	fs.StringVar(&f.transport, "transport", "udp", "udp, tcp or tls")
	fs.StringVar(&f.username, "username", "", "digest username for 401/407 challenges")
	fs.StringVar(&f.password, "password", "", "digest password")
	fs.StringVar(&f.from, "from", "outreach", "caller ID (From user and P-Asserted-Identity)")
	fs.StringVar(&f.play, "play", "", "WAV file to play after answer")
	fs.IntVar(&f.digits, "dtmf-digits", 0, "collect up to N keys after playing")
	fs.StringVar(&f.terminator, "dtmf-terminator", "", "key that ends digit entry, e.g. '#'")
	fs.DurationVar(&f.digitTimeout, "dtmf-timeout", 5*time.Second, "wait for each key")
	fs.DurationVar(&f.ringTimeout, "ring-timeout", 30*time.Second, "CANCEL when not answered within this")
	fs.DurationVar(&f.maxDuration, "max-duration", 60*time.Second, "hang up after this")
	fs.StringVar(&f.record, "record", "", "write both directions to this WAV file")
	fs.StringVar(&f.script, "script", "", "run this ivr script over the call")
	fs.Var(&f.vars, "var", "script template value key=value (Org, Resident.Name, Campaign.Name); repeatable")
	fs.StringVar(&f.listen, "listen", "", "local SIP address (default: an ephemeral port on the trunk's interface)")
	fs.StringVar(&f.cacheDir, "prompt-cache", "", "TTS cache directory (default: the user cache dir)")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object with the result")
	fs.StringVar(&f.asrEngine, "asr", "", "speech engine for --script: pocketsphinx, vosk, funasr, openai or template (default: keys only)")
	fs.StringVar(&f.asrTemplates, "asr-templates", "", "reference recordings of the template engine (a folder with manifest.json)")
	fs.StringVar(&f.asrURL, "asr-url", "", "URL of a network speech engine (ws://… for vosk/funasr, http://… for openai)")
	if err := fs.Parse(args); err != nil {
		return nil, "", err
	}
	if fs.NArg() != 1 {
		return nil, "", usageErr("exactly one NUMBER expected after the flags")
	}
	if f.trunk == "" {
		return nil, "", usageErr("--trunk HOST:PORT is required")
	}
	if _, _, err := net.SplitHostPort(f.trunk); err != nil {
		return nil, "", usageErr("--trunk %q is not HOST:PORT", f.trunk)
	}
	if (f.username == "") != (f.password == "") {
		return nil, "", usageErr("--username and --password go together")
	}
	return f, fs.Arg(0), nil
}

// runCall implements `outreach call`: one call, result on stdout. It exits
// 0 whenever a call was attempted, whatever its outcome.
func runCall(ctx context.Context, e *env, args []string) error {
	f, number, err := parseCallFlags(e, args)
	if err != nil {
		return err
	}
	job := robot.Job{Trunk: "cli", Number: number, RingTimeout: f.ringTimeout, MaxDuration: f.maxDuration,
		Record: f.record != "", Digits: f.digits, Terminator: f.terminator, DigitTimeout: f.digitTimeout}
	if f.play != "" {
		if job.Play, err = media.ReadWAVFile(f.play); err != nil {
			return usageErr("--play: %v", err)
		}
	}
	if f.script != "" {
		if job.Script, err = ivr.LoadFile(f.script); err != nil {
			return usageErr("--script: %v", err)
		}
		if job.Data, err = scriptData(f.vars); err != nil {
			return err
		}
	}
	d, err := startDialer(ctx, e, f)
	if err != nil {
		return err
	}
	defer d.Stop()
	voice := newVoice(e, f)
	bot := &robot.Robot{Dialer: d, Logger: e.logger, Voice: voice}
	if job.Script != nil {
		bot.LeadIn = voice.Renderer.LeadInAudio() // the pause after answer before the first word
	}
	if f.asrEngine != "" {
		rec, err := asr.New(asr.Config{Engine: f.asrEngine, URL: f.asrURL, TemplateDir: f.asrTemplates, Logger: e.logger})
		if err != nil {
			return usageErr("--asr: %v", err)
		}
		bot.Ears = &robot.Ears{Recognizer: rec}
	}
	rep := bot.Run(ctx, job)
	if f.record != "" && len(rep.Recording) > 0 {
		if err := media.WriteWAVFile(f.record, rep.Recording, media.SampleRate); err != nil {
			fmt.Fprintf(e.stderr, "outreach call: write recording: %v\n", err)
		}
	}
	return printReport(e, f.asJSON, rep)
}

func startDialer(ctx context.Context, e *env, f *callFlags) (*dialer.Dialer, error) {
	listen := f.listen
	if listen == "" {
		host, _, _ := net.SplitHostPort(f.trunk)
		listen = net.JoinHostPort(localIPFor(host), "0")
	}
	d, err := dialer.New(dialer.Config{
		ListenAddr: listen, Logger: e.logger, UserAgent: "Outreach",
		Trunks: []dialer.Trunk{{Name: "cli", Addr: f.trunk, Transport: f.transport,
			Username: f.username, Password: f.password, CallerID: f.from}},
	})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	if err := d.Start(ctx); err != nil {
		return nil, fmt.Errorf("start dialer: %w", err)
	}
	return d, nil
}

// localIPFor picks the local address used to reach host.
func localIPFor(host string) string {
	c, err := net.Dial("udp", net.JoinHostPort(host, "9"))
	if err != nil {
		return "127.0.0.1"
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP.String()
}

func newVoice(e *env, f *callFlags) *robot.PromptVoice {
	dir := f.cacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir = filepath.Join(base, "outreach", "prompts")
	}
	cache, err := prompts.NewCache(dir, 8<<20, e.logger)
	if err != nil {
		cache = nil
	}
	v := &robot.PromptVoice{Renderer: &prompts.Renderer{Engine: promptEngine(e, f.script), Cache: cache, Logger: e.logger}}
	if f.script != "" {
		v.AudioDir = filepath.Dir(f.script)
	}
	return v
}

func scriptData(vars []string) (ivr.Data, error) {
	var d ivr.Data
	for _, kv := range vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return d, usageErr("--var %q is not key=value", kv)
		}
		switch k {
		case "Org", "org":
			d.Org = v
		case "Resident.Name", "name":
			d.Resident.Name = v
		case "Campaign.Name", "campaign":
			d.Campaign.Name = v
		default:
			return d, usageErr("--var %q: known keys are Org, Resident.Name, Campaign.Name", k)
		}
	}
	return d, nil
}

func printReport(e *env, asJSON bool, rep *robot.Report) error {
	if !asJSON {
		fmt.Fprintf(e.stdout, "outcome=%s sip_status=%d answered=%v dtmf=%q setup_ms=%d duration_ms=%d call_id=%s\n",
			rep.Outcome, rep.SIPStatus, rep.Answered, rep.DTMF, rep.SetupMS, rep.DurationMS, rep.CallID)
		return nil
	}
	out := struct {
		*robot.Report
		Script *scriptJSON `json:"script,omitempty"`
	}{Report: rep, Script: toScriptJSON(rep)}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
