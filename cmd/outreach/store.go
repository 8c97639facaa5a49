package main

import (
	"context"
	"flag"

	"outreach/config"
	"outreach/node"
	"outreach/storage"
)

// loadConfig reads --config (may be empty: defaults and environment only).
func loadConfig(path string) (*config.Config, error) {
	c, err := config.Load(path, nil)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return c, nil
}

// openStore opens the configured database: PostgreSQL when a DSN is set,
// else the embedded store in the data folder. Migrations run on open.
func openStore(ctx context.Context, e *env, c *config.Config) (*storage.Store, error) {
	return openStoreWith(ctx, e, c, false)
}

func openStoreWith(ctx context.Context, e *env, c *config.Config, noMigrate bool) (*storage.Store, error) {
	return node.OpenStore(ctx, c, node.StoreOptions{NoMigrate: noMigrate, Logger: e.logger})
}

// runMigrate implements `outreach migrate [--config F] [up | down N | version]`.
func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfgPath := fs.String("config", "", "configuration file (default: embedded store in ./outreach-data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	s, err := openStoreWith(ctx, e, c, true)
	if err != nil {
		return err
	}
	defer s.Close()
	return storage.MigrateCommand(ctx, s, fs.Args(), e.stdout)
}

// runImport implements `outreach import residents FILE [--community NAME] [--dry-run]`.
func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "residents" {
		return usageErr("usage: outreach import residents FILE [--community NAME] [--list TAG] [--dry-run] [--config F]")
	}
	fs := flag.NewFlagSet("import residents", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfgPath := fs.String("config", "", "configuration file")
	community := fs.String("community", "", "community of rows that name none")
	list := fs.String("list", "", "tag every imported resident (a campaign can target the list)")
	dry := fs.Bool("dry-run", false, "check and count only; write nothing")
	actor := fs.String("user", "cli", "who imports (audit log)")
	file, rest := splitFileArg(args[1:])
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" {
		return usageErr("import residents: FILE (.xlsx or .csv) expected")
	}
	c, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, e, c)
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = storage.ImportCommand(ctx, s, file, storage.ImportOptions{Community: *community, List: *list,
		DryRun: *dry, Actor: *actor}, e.stdout)
	return err
}

// splitFileArg lets the FILE come before the flags (`import residents x.xlsx --dry-run`).
func splitFileArg(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}
