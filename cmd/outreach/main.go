// Command outreach is the Outreach binary: every role and tool is a
// subcommand. This package only parses flags and wires packages together.
//
//	outreach call    place one call through a trunk (optionally running a script)
//	outreach sim     serve simulated residents on a SIP port
//	outreach script  check a script file
//	outreach bench   benchmarks side by side with sipp
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand. run returns errUsage for bad usage (exit 2).
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every subcommand gets instead of package globals.
type env struct {
	stdout, stderr io.Writer
	logger         *slog.Logger
}

var errUsage = errors.New("usage")

func commands() map[string]command {
	return map[string]command{
		"call":    {"place one call through a trunk", runCall},
		"sim":     {"serve simulated residents on a SIP port", runSim},
		"script":  {"check a script: outreach script check FILE", runScript},
		"demo":    {"run the whole loop with simulated residents: outreach demo [--residents 200 --lines 50 --lang zh]", runDemo},
		"serve":   {"run the service: outreach serve --config FILE [--role api,scheduler,robot]", runServe},
		"migrate": {"apply (or roll back) database migrations", runMigrate},
		"import":  {"import residents: outreach import residents FILE [--dry-run]", runImport},
		"export":  {"export campaign results or the daily report as XLSX/CSV", runExport},
		"bench":   {"benchmarks side by side with sipp", runBench},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "outreach: unknown command %q\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	e := &env{stdout: stdout, stderr: stderr, logger: newLogger(stderr, "info")}
	err := c.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "outreach %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(stderr, "outreach %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: outreach COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun outreach COMMAND -h for its flags.")
}

// usageErr wraps a message as a usage error.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}
