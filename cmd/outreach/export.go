package main

import (
	"context"
	"flag"
	"strconv"
	"time"

	"outreach/storage"
)

// runExport implements
// `outreach export campaign ID --out FILE` and `outreach export daily [--day YYYY-MM-DD] --out FILE`;
// the extension (.xlsx or .csv) picks the format. Phone numbers are masked
// unless --unmask is given by a user whose role may unmask; every export is
// audited.
func runExport(ctx context.Context, e *env, args []string) error {
	const use = "usage: outreach export campaign ID --out FILE.xlsx | outreach export daily [--day YYYY-MM-DD] --out FILE.xlsx  [--user NAME] [--unmask] [--config F]"
	if len(args) == 0 || (args[0] != "campaign" && args[0] != "daily") {
		return usageErr(use)
	}
	what := args[0]
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfgPath := fs.String("config", "", "configuration file")
	out := fs.String("out", "", "output file (.xlsx or .csv)")
	day := fs.String("day", "", "day of the daily report (default today)")
	user := fs.String("user", "", "user exporting (audited; role decides --unmask)")
	unmask := fs.Bool("unmask", false, "full phone numbers (admin only)")
	idArg, rest := splitFileArg(args[1:])
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if *out == "" {
		return usageErr(use)
	}
	c, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	loc, _ := time.LoadLocation(c.Timezone)
	req := storage.ExportRequest{What: what, Path: *out, Unmask: *unmask, Zone: loc}
	if what == "campaign" {
		if req.CampaignID, err = strconv.ParseInt(idArg, 10, 64); err != nil || req.CampaignID <= 0 {
			return usageErr("export campaign: a campaign ID is required")
		}
	}
	req.Day = time.Now().In(loc)
	if *day != "" {
		if req.Day, err = time.ParseInLocation("2006-01-02", *day, loc); err != nil {
			return usageErr("--day: %v", err)
		}
	}
	s, err := openStore(ctx, e, c)
	if err != nil {
		return err
	}
	defer s.Close()
	req.User = storage.User{Username: "cli", Role: storage.RoleOperator}
	if *user != "" {
		if req.User, err = s.UserByName(ctx, *user); err != nil {
			return usageErr("--user %s: %v", *user, err)
		}
	}
	return storage.ExportCommand(ctx, s, req, e.stdout)
}
