package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"outreach/ivr"
)

// runScript implements `outreach script check FILE...`: every mistake as
// FILE:LINE:COLUMN: message on stderr and exit 1, or a summary per file.
func runScript(_ context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return usageErr("usage: outreach script check FILE [FILE...]")
	}
	fs := flag.NewFlagSet("script check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("usage: outreach script check FILE [FILE...]")
	}
	bad := 0
	for _, path := range fs.Args() {
		src, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("check %s: %w", path, err)
		}
		diags, sum := ivr.Check(path, src, ivr.CheckOptions{AudioExists: ivr.AudioInDir(filepath.Dir(path))})
		for _, d := range diags {
			fmt.Fprintln(e.stderr, d.String())
		}
		if len(diags) > 0 {
			bad++
			continue
		}
		fmt.Fprintf(e.stdout, "%s: ok: %s\n", path, sum)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d scripts have mistakes", bad, fs.NArg())
	}
	return nil
}
