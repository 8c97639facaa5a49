package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ImportCommand is `outreach import residents FILE [--community NAME]
// [--list NAME] [--dry-run]`: it imports, prints every bad row as
// "line N: reason" as it is found, then a summary.
func ImportCommand(ctx context.Context, s *Store, path string, opt ImportOptions, out io.Writer) (ImportReport, error) {
	opt.OnProblem = func(p Problem) { fmt.Fprintln(out, p.String()) }
	rep, err := s.ImportResidents(ctx, path, opt)
	if err != nil {
		return rep, err
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run)"
	}
	fmt.Fprintf(out, "%d rows: %s %d, already present %d (observation updated %d), bad %d, empty %d\n",
		rep.Rows, verb, rep.Imported, rep.Existing, rep.Updated, rep.Bad, rep.Empty)
	if rep.ErrorsFile != "" {
		fmt.Fprintf(out, "bad rows written to %s\n", rep.ErrorsFile)
	}
	return rep, nil
}

// ExportRequest is what `outreach export` asks for.
type ExportRequest struct {
	What       string    // "campaign" (results) or "daily" (the daily report)
	CampaignID int64     // required for "campaign"; 0 = all campaigns for "daily"
	Day        time.Time // for "daily"
	Path       string    // output file; .xlsx or .csv chooses the format
	Unmask     bool      // full phone numbers, refused unless User's role may unmask
	User       User
	Zone       *time.Location
}

// ErrForbidden is returned (wrapped) when the user's role may not do what
// was asked.
var ErrForbidden = errors.New("forbidden")

// ExportCommand writes the requested export to req.Path and prints a line.
func ExportCommand(ctx context.Context, s *Store, req ExportRequest, out io.Writer) error {
	if req.Unmask && !req.User.Role.CanUnmask() {
		return fmt.Errorf("export: role %s may not unmask phone numbers: %w", req.User.Role, ErrForbidden)
	}
	format, err := ParseFormat(strings.ToLower(filepath.Ext(req.Path)))
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f, err := os.OpenFile(req.Path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	opt := ExportOptions{Format: format, Unmask: req.Unmask, Actor: req.User.Username, Zone: req.Zone}
	switch req.What {
	case "campaign":
		var n int
		n, err = s.ExportCampaign(ctx, f, req.CampaignID, opt)
		if err == nil {
			fmt.Fprintf(out, "%d rows written to %s\n", n, req.Path)
		}
	case "daily":
		err = s.ExportDailyReport(ctx, f, req.Day, req.CampaignID, opt)
		if err == nil {
			fmt.Fprintf(out, "daily report written to %s\n", req.Path)
		}
	default:
		err = fmt.Errorf("export %q: want campaign or daily", req.What)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// MigrateCommand is `outreach migrate [up | down N | status]` (open the
// store with Config.NoMigrate for down and status).
func MigrateCommand(ctx context.Context, s *Store, args []string, out io.Writer) error {
	action := "up"
	if len(args) > 0 {
		action = args[0]
	}
	switch action {
	case "up":
		if err := s.Migrate(ctx); err != nil {
			return err
		}
	case "down":
		if len(args) != 2 {
			return errors.New("migrate down: want the version to go down to (0 = empty)")
		}
		to, err := strconv.Atoi(args[1])
		if err != nil || to < 0 {
			return fmt.Errorf("migrate down: bad version %q", args[1])
		}
		if err := s.MigrateDown(ctx, to); err != nil {
			return err
		}
	case "status":
	default:
		return fmt.Errorf("migrate %q: want up, down N or status", action)
	}
	v, err := s.Version(ctx)
	if err != nil {
		return err
	}
	ms, err := s.migrations()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "schema version %d of %d\n", v, len(ms))
	return nil
}

// DefaultPath is the embedded store's file inside a data directory.
func DefaultPath(dataDir string) string { return filepath.Join(dataDir, "outreach.db") }
