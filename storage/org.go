package storage

import (
	"context"
	"fmt"
)

// Level is a rank in the organisation tree.
type Level uint8

// Levels, from the top.
const (
	LevelDistrict Level = iota + 1
	LevelStreet
	LevelCommunity
	LevelGrid
)

var levelNames = [...]string{"", "district", "street", "community", "grid"}

// String returns the level's name.
func (l Level) String() string {
	if int(l) < len(levelNames) && l > 0 {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// OrgUnit is a node of the tree district → street → community → grid.
type OrgUnit struct {
	ID       int64
	ParentID int64 // 0 for a root
	Level    Level
	Name     string
}

// EnsureOrgUnit returns the id of the unit (level, parent, name), creating it.
func (s *Store) EnsureOrgUnit(ctx context.Context, level Level, parentID int64, name string) (int64, error) {
	return s.ensureOrgUnit(ctx, s.b, level, parentID, name)
}

func (s *Store) ensureOrgUnit(ctx context.Context, q querier, level Level, parentID int64, name string) (int64, error) {
	if level < LevelDistrict || level > LevelGrid || name == "" {
		return 0, fmt.Errorf("org unit: bad level %d or empty name", level)
	}
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM org_units WHERE level = $1 AND COALESCE(parent_id, 0) = $2 AND name = $3`,
		int(level), parentID, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != errNoRows {
		return 0, fmt.Errorf("org unit %s: %w", name, err)
	}
	err = q.QueryRow(ctx, `INSERT INTO org_units (parent_id, level, name) VALUES ($1,$2,$3)
		ON CONFLICT DO NOTHING RETURNING id`, nullID(parentID), int(level), name).Scan(&id)
	if err == errNoRows { // created meanwhile
		err = q.QueryRow(ctx, `SELECT id FROM org_units WHERE level = $1 AND COALESCE(parent_id, 0) = $2 AND name = $3`,
			int(level), parentID, name).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("org unit %s: %w", name, err)
	}
	return id, nil
}

// OrgUnits returns the whole tree in id order.
func (s *Store) OrgUnits(ctx context.Context) ([]OrgUnit, error) {
	rs, err := s.b.Query(ctx, `SELECT id, COALESCE(parent_id, 0), level, name FROM org_units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("org units: %w", err)
	}
	defer rs.Close()
	var out []OrgUnit
	for rs.Next() {
		var u OrgUnit
		var lvl int
		if err := rs.Scan(&u.ID, &u.ParentID, &lvl, &u.Name); err != nil {
			return nil, fmt.Errorf("org units: %w", err)
		}
		u.Level = Level(lvl)
		out = append(out, u)
	}
	return out, rs.Err()
}

// Subtree returns the ids of unit id and of every unit below it: the scope a
// user attached to id may see.
func (s *Store) Subtree(ctx context.Context, id int64) ([]int64, error) {
	units, err := s.OrgUnits(ctx)
	if err != nil {
		return nil, err
	}
	children := map[int64][]int64{}
	for _, u := range units {
		children[u.ParentID] = append(children[u.ParentID], u.ID)
	}
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}
