package web

import (
	"context"
	"fmt"
	"io"

	"outreach/storage"
)

// Import imports a resident list into the caller's area. Admins import as
// asked (opt.Parent says where new communities go). Staff import under
// their own unit: street staff find or create the communities their rows
// name under their street; community staff import into their community
// (rows naming none land there) or grids under it. Rows naming a community
// outside the area, and rows of residents registered outside it, are
// reported as bad rows by line; the others are imported.
func (a *StoreAdapter) Import(ctx context.Context, sc Scope, r io.Reader, format string, opt storage.ImportOptions) (storage.ImportReport, error) {
	if !sc.All {
		if err := a.confineImport(ctx, sc, &opt); err != nil {
			return storage.ImportReport{}, err
		}
	}
	return a.S.ImportResidentsFrom(ctx, r, format, opt)
}

// confineImport sets the options that keep an import inside sc.
func (a *StoreAdapter) confineImport(ctx context.Context, sc Scope, opt *storage.ImportOptions) error {
	opt.Parent, opt.Allowed = 0, sc.Has // no root known: existing units in scope only
	if sc.Root == 0 {
		return nil
	}
	units, err := a.S.OrgUnits(ctx)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	byID := make(map[int64]storage.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	root := byID[sc.Root]
	switch root.Level {
	case storage.LevelDistrict, storage.LevelStreet:
		opt.Parent = root.ID
	case storage.LevelCommunity:
		opt.Parent, opt.Community = root.ParentID, root.Name
	case storage.LevelGrid: // rows must name the grid; their community is the grid's
		c := byID[root.ParentID]
		opt.Parent, opt.Community = c.ParentID, c.Name
	}
	return nil
}
