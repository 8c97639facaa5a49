package main

import (
	"context"
	"flag"
	"fmt"

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
	street := fs.String("street", "", "street (街道) whose communities the rows name; created if missing (default: top level)")
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
	parent, err := streetUnit(ctx, s, *street, *dry)
	if err != nil {
		return err
	}
	_, err = storage.ImportCommand(ctx, s, file, storage.ImportOptions{Community: *community, List: *list,
		DryRun: *dry, Actor: *actor, Parent: parent}, e.stdout)
	return err
}

// streetUnit finds (or, unless dry, creates) the street of --street, so the
// communities the rows name are found or created under it and the street's
// staff see the residents. "" means the top level.
func streetUnit(ctx context.Context, s *storage.Store, name string, dry bool) (int64, error) {
	if name == "" {
		return 0, nil
	}
	if !dry {
		id, err := s.EnsureOrgUnit(ctx, storage.LevelStreet, 0, name)
		if err != nil {
			return 0, fmt.Errorf("import residents: --street %q: %w", name, err)
		}
		return id, nil
	}
	units, err := s.OrgUnits(ctx)
	if err != nil {
		return 0, fmt.Errorf("import residents: %w", err)
	}
	for _, u := range units {
		if u.Level == storage.LevelStreet && u.Name == name {
			return u.ID, nil
		}
	}
	return 0, nil // a dry run does not create the street
}

// splitFileArg lets the FILE come before the flags (`import residents x.xlsx --dry-run`).
func splitFileArg(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}
