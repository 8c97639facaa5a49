package main

import (
	"context"
	"flag"
	"fmt"

	"outreach/sim"
)

// runSim implements `outreach sim --listen ADDR [--personas FILE]`: serve
// simulated residents until SIGINT/SIGTERM.
func runSim(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	listen := fs.String("listen", "127.0.0.1:5090", "SIP address to serve (udp; prefix tcp:// for TCP)")
	personas := fs.String("personas", "", "YAML file mapping numbers to personas (default: everyone answers after 1 s)")
	recordDir := fs.String("record-dir", "", "write what each call heard to DIR/<call-id>.wav")
	rtpMin := fs.Int("rtp-port-min", 0, "lowest RTP port (0: ephemeral)")
	rtpMax := fs.Int("rtp-port-max", 0, "highest RTP port")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	cfg := sim.Config{Listen: *listen, Logger: e.logger, RecordDir: *recordDir, RTPPortMin: *rtpMin, RTPPortMax: *rtpMax}
	if *personas != "" {
		rules, mix, err := sim.LoadPersonas(*personas)
		if err != nil {
			return usageErr("%v", err)
		}
		cfg.Personas, cfg.Default = rules, mix
	}
	s, err := sim.New(cfg)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := s.Start(ctx); err != nil {
		return fmt.Errorf("start sim: %w", err)
	}
	fmt.Fprintf(e.stdout, "sim: serving simulated residents on %s/%s\n", s.Network(), s.Addr())
	<-ctx.Done()
	s.Stop()
	calls := s.Calls()
	answered := 0
	for _, c := range calls {
		if c.Answered {
			answered++
		}
	}
	fmt.Fprintf(e.stdout, "sim: stopped after %d calls (%d answered)\n", len(calls), answered)
	return nil
}
