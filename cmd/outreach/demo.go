package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"outreach/demo"
)

// runDemo implements `outreach demo`: the whole loop on this machine with
// nothing but Go (see package demo).
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	o := demo.Options{Progress: e.stdout}
	fs.IntVar(&o.Residents, "residents", 200, "residents in the generated roster")
	fs.IntVar(&o.Observed, "observed", 40, "of them under home observation")
	fs.IntVar(&o.Lines, "lines", 50, "concurrent calls")
	fs.StringVar(&o.Lang, "lang", "zh", "script language: zh or en")
	fs.StringVar(&o.Out, "out", "outreach-demo", "folder for the data and the report")
	verbose := fs.Bool("v", false, "log every call (masked)")
	fs.BoolVar(&o.Serve, "serve", false, "keep the staff console open after the run (Ctrl-C to stop)")
	o.OnReady = func(s *demo.Summary) {
		s.Print(e.stdout)
		fmt.Fprintf(e.stdout, "\n控制台 Console: %s  登录 login: %s  (Ctrl-C to stop)\n", s.Console, s.Login)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.Logger = newLogger(e.stderr, "warn")
	if *verbose {
		o.Logger = e.logger
	}
	if f, ok := e.stdout.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.TTY = true
		}
	}
	fmt.Fprintf(e.stdout, "Outreach demo: %d residents, %d lines, script daily-health-check.%s\n", o.Residents, o.Lines, o.Lang)
	sum, err := demo.Run(ctx, o)
	if err != nil {
		return err
	}
	if !o.Serve {
		sum.Print(e.stdout)
	}
	return nil
}
