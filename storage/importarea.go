package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Reasons of the rows an import confined to an area refuses.
const (
	reasonNoCommunity = "未填社区，不在您的辖区 no community given: outside your area"
	reasonOutside     = "社区不在您的辖区 community outside your area"
	reasonOtherArea   = "居民已登记在其他辖区 resident already registered outside your area"
)

// importArea confines an import to the org units ImportOptions.Allowed
// accepts. A row's community is found under ImportOptions.Parent; one that
// exists must be allowed (or the row's grid under it must be), and one that
// does not would be created under Parent, so Parent must be allowed. A row
// whose phone belongs to a resident already registered elsewhere is refused
// too (the import would change their observation period). Nothing is
// created here; safe for concurrent use.
type importArea struct {
	s       *Store
	parent  int64
	allowed func(unitID int64) bool

	mu    sync.Mutex
	units map[string]unitHit
}

type unitHit struct {
	id    int64
	found bool
}

func newImportArea(s *Store, opt *ImportOptions) *importArea {
	if opt.Allowed == nil {
		return nil
	}
	return &importArea{s: s, parent: opt.Parent, allowed: opt.Allowed, units: map[string]unitHit{}}
}

// confine moves the rows of c that fall outside the area to c.bad; cells
// are the chunk's raw rows (for the errors file).
func (a *importArea) confine(ctx context.Context, c *chunk) error {
	if len(c.rows) == 0 {
		return nil
	}
	cells := make(map[int][]string, len(c.lines))
	for i, l := range c.lines {
		cells[l] = c.cells[i]
	}
	homes, err := a.homes(ctx, c.rows)
	if err != nil {
		return err
	}
	kept := c.rows[:0]
	for _, r := range c.rows {
		reason, err := a.refuse(ctx, r, homes)
		if err != nil {
			return err
		}
		if reason == "" {
			kept = append(kept, r)
			continue
		}
		c.bad = append(c.bad, Problem{Line: r.line, Reason: reason, Cells: cells[r.line]})
	}
	c.rows = kept
	return nil
}

// refuse returns why row r falls outside the area, or "".
func (a *importArea) refuse(ctx context.Context, r importRow, homes map[string][2]int64) (string, error) {
	if home, known := homes[string(r.hash)]; known {
		if a.allowed(home[0]) || a.allowed(home[1]) {
			return "", nil
		}
		return reasonOtherArea, nil
	}
	if r.community == "" {
		return reasonNoCommunity, nil
	}
	cid, found, err := a.lookup(ctx, LevelCommunity, a.parent, r.community)
	if err != nil {
		return "", err
	}
	switch {
	case !found && a.allowed(a.parent), found && a.allowed(cid):
		return "", nil
	case found && r.grid != "":
		gid, ok, err := a.lookup(ctx, LevelGrid, cid, r.grid)
		if err != nil || (ok && a.allowed(gid)) {
			return "", err
		}
	}
	return reasonOutside + ": " + r.community, nil
}

// lookup finds the unit (level, parent, name) without creating it.
func (a *importArea) lookup(ctx context.Context, level Level, parent int64, name string) (int64, bool, error) {
	key := fmt.Sprintf("%d|%d|%s", level, parent, name)
	a.mu.Lock()
	hit, ok := a.units[key]
	a.mu.Unlock()
	if ok {
		return hit.id, hit.found, nil
	}
	err := a.s.b.QueryRow(ctx, `SELECT id FROM org_units WHERE level = $1 AND COALESCE(parent_id, 0) = $2 AND name = $3`,
		int(level), parent, name).Scan(&hit.id)
	if err != nil && err != errNoRows {
		return 0, false, fmt.Errorf("org unit %s: %w", name, err)
	}
	hit.found = err == nil
	a.mu.Lock()
	a.units[key] = hit
	a.mu.Unlock()
	return hit.id, hit.found, nil
}

// homes maps the phone indexes of rows already registered to the
// resident's community and grid (rows are one chunk: at most chunkRows).
func (a *importArea) homes(ctx context.Context, rows []importRow) (map[string][2]int64, error) {
	ph := make([]string, len(rows))
	args := make([]any, len(rows))
	for i, r := range rows {
		ph[i], args[i] = "$"+strconv.Itoa(i+1), r.hash
	}
	rs, err := a.s.b.Query(ctx, `SELECT phone_hash, COALESCE(community_id, 0), COALESCE(grid_id, 0)
		FROM residents WHERE phone_hash IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("residents' areas: %w", err)
	}
	defer rs.Close()
	out := map[string][2]int64{}
	for rs.Next() {
		var h []byte
		var home [2]int64
		if err := rs.Scan(&h, &home[0], &home[1]); err != nil {
			return nil, fmt.Errorf("residents' areas: %w", err)
		}
		out[string(h)] = home
	}
	return out, rs.Err()
}
