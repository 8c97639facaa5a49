package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"outreach/node"
	"outreach/procs"
)

// runServe implements `outreach serve --config FILE [--role api,scheduler,robot]`.
// With no database or Redis configured it runs on the embedded store and an
// in-process Redis-protocol server. SIGINT/SIGTERM drain: stop claiming,
// let live calls finish up to robot.drain_timeout, then hang up and record.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfgPath := fs.String("config", "", "configuration file (see config/example.yaml)")
	roleFlag := fs.String("role", "api,scheduler,robot", "roles of this process: any of api, scheduler, robot")
	if err := fs.Parse(args); err != nil {
		return err
	}
	roles, err := node.ParseRoles(*roleFlag)
	if err != nil {
		return usageErr("--role: %v", err)
	}
	c, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	e.logger = newLogger(e.stderr, c.Log.Level)
	if roles.Robot {
		// GOMAXPROCS is the process's: sized here, by its owner, not by the
		// node (tests run several nodes in one process). It keeps adapting
		// through the drain.
		scaler, ps := procs.Apply(context.WithoutCancel(ctx), c.Robot.Procs, e.logger)
		if scaler != nil {
			defer scaler.Stop()
		}
		e.logger.Info("robot process", "gomaxprocs", ps)
	}
	n, err := node.New(ctx, node.Options{Config: c, Roles: roles, Logger: e.logger})
	if err != nil {
		return err
	}
	if err := n.Start(ctx); err != nil {
		return err
	}
	if roles.API {
		fmt.Fprintf(e.stdout, "outreach: serving %s; HTTP on http://%s\n", roles, n.APIAddr())
	} else {
		fmt.Fprintf(e.stdout, "outreach: serving %s\n", roles)
	}
	<-ctx.Done()
	start := time.Now()
	fmt.Fprintln(e.stdout, "outreach: draining")
	n.Stop()
	fmt.Fprintf(e.stdout, "outreach: stopped after %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
