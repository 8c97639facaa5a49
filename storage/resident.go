package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Resident is a person who may be called. Phone is E.164; ID, Address and
// Notes are sealed at rest, Phones (extra numbers) too.
type Resident struct {
	ID          int64
	Name        string
	Phone       string
	Phones      []string
	IDNumber    string
	Address     string
	CommunityID int64 // 0 = none
	GridID      int64 // 0 = none
	Household   string
	Tags        []string
	Language    string // e.g. zh-CN; empty = campaign default
	Notes       string
	Created     time.Time
}

const residentCols = `id, name, phone_enc, phones_enc, id_enc, address_enc, COALESCE(community_id, 0),
	COALESCE(grid_id, 0), household, tags, language, notes_enc, created_at`

// CreateResident inserts r and returns its id. A resident with the same
// phone number already present gives an error wrapping ErrDuplicate.
func (s *Store) CreateResident(ctx context.Context, r Resident) (int64, error) {
	if r.Created.IsZero() {
		r.Created = s.now()
	}
	var id int64
	err := s.b.QueryRow(ctx, `INSERT INTO residents (name, phone_enc, phone_hash, phones_enc, id_enc,
		address_enc, community_id, grid_id, household, tags, language, notes_enc, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
		ON CONFLICT (phone_hash) DO NOTHING RETURNING id`, s.residentArgs(r)...).Scan(&id)
	if err == errNoRows {
		return 0, fmt.Errorf("create resident: %w", ErrDuplicate)
	}
	if err != nil {
		return 0, fmt.Errorf("create resident: %w", err)
	}
	return id, nil
}

// ErrDuplicate is returned (wrapped) when a unique key already exists.
var ErrDuplicate = fmt.Errorf("duplicate")

func (s *Store) residentArgs(r Resident) []any {
	return []any{r.Name, s.ring.SealString(r.Phone), s.ring.Index(r.Phone),
		s.ring.SealString(strings.Join(r.Phones, ",")), s.ring.SealString(r.IDNumber),
		s.ring.SealString(r.Address), nullID(r.CommunityID), nullID(r.GridID), r.Household,
		strings.Join(r.Tags, ","), r.Language, s.ring.SealString(r.Notes), r.Created}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// UpdateResident rewrites every field of the resident r.ID.
func (s *Store) UpdateResident(ctx context.Context, r Resident) error {
	a := s.residentArgs(r)
	n, err := s.b.Exec(ctx, `UPDATE residents SET name=$1, phone_enc=$2, phone_hash=$3, phones_enc=$4,
		id_enc=$5, address_enc=$6, community_id=$7, grid_id=$8, household=$9, tags=$10, language=$11,
		notes_enc=$12 WHERE id=$13`, append(a[:12], r.ID)...)
	if err != nil {
		return fmt.Errorf("update resident %d: %w", r.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update resident %d: %w", r.ID, ErrNotFound)
	}
	return nil
}

// Resident returns one resident, unsealed.
func (s *Store) Resident(ctx context.Context, id int64) (Resident, error) {
	r, err := s.scanResident(s.b.QueryRow(ctx, `SELECT `+residentCols+` FROM residents WHERE id = $1`, id))
	if err != nil {
		return Resident{}, notFound(err, "resident", id)
	}
	return r, nil
}

// ResidentByPhone finds a resident through the phone index (phone in E.164).
func (s *Store) ResidentByPhone(ctx context.Context, phone string) (Resident, error) {
	r, err := s.scanResident(s.b.QueryRow(ctx, `SELECT `+residentCols+` FROM residents WHERE phone_hash = $1`,
		s.ring.Index(phone)))
	if err != nil {
		return Resident{}, notFound(err, "resident by phone", "")
	}
	return r, nil
}

// ResidentFilter selects residents; zero fields do not filter.
type ResidentFilter struct {
	CommunityID int64
	GridID      int64
	Name        string // substring of the name (% and _ match themselves)
	Phone       string // exact number in E.164 (found through the index)
	// Units keeps residents whose community or grid is one of these org
	// units (a user's scope); nil = no filter, empty = nobody.
	Units   []int64
	AfterID int64 // keyset pagination
	Limit   int   // default 100
}

// Residents lists residents in id order.
func (s *Store) Residents(ctx context.Context, f ResidentFilter) ([]Resident, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var hash []byte
	if f.Phone != "" {
		hash = s.ring.Index(f.Phone)
	}
	units := newUnitList(f.Units, 8)
	rs, err := s.b.Query(ctx, `SELECT `+residentCols+` FROM residents
		WHERE id > $1 AND ($2 = 0 OR community_id = $2) AND ($3 = 0 OR grid_id = $3)
		AND ($5 = '' OR name LIKE '%' || $5 || '%' ESCAPE '\') AND ($6 = 0 OR phone_hash = $7)
		AND `+units.member("community_id", "grid_id")+`
		ORDER BY id LIMIT $4`, append([]any{f.AfterID, f.CommunityID, f.GridID, f.Limit, likeEscape(f.Name),
		len(hash), hash}, units.args...)...)
	if err != nil {
		return nil, fmt.Errorf("list residents: %w", err)
	}
	defer rs.Close()
	var out []Resident
	for rs.Next() {
		r, err := s.scanResident(rs)
		if err != nil {
			return nil, fmt.Errorf("list residents: %w", err)
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CountResidents returns the number of residents.
func (s *Store) CountResidents(ctx context.Context) (int64, error) {
	var n int64
	err := s.b.QueryRow(ctx, `SELECT COUNT(*) FROM residents`).Scan(&n)
	return n, err
}

func (s *Store) scanResident(r row) (Resident, error) {
	var (
		res                             Resident
		phone, phones, idn, addr, notes []byte
		tags                            string
	)
	err := r.Scan(&res.ID, &res.Name, &phone, &phones, &idn, &addr, &res.CommunityID, &res.GridID,
		&res.Household, &tags, &res.Language, &notes, &res.Created)
	if err != nil {
		return Resident{}, err
	}
	var all string
	for _, f := range []struct {
		dst *string
		src []byte
	}{{&res.Phone, phone}, {&all, phones}, {&res.IDNumber, idn}, {&res.Address, addr}, {&res.Notes, notes}} {
		if *f.dst, err = s.open(f.src); err != nil {
			return Resident{}, fmt.Errorf("resident %d: %w", res.ID, err)
		}
	}
	res.Phones = splitList(all)
	res.Tags = splitList(tags)
	return res, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// DeleteResident removes the resident and, by cascade, every row about them:
// observation periods, tasks, attempts, answers, health records and alerts.
// The audit log keeps only the fact of the deletion, with the id.
func (s *Store) DeleteResident(ctx context.Context, actor string, id int64) error {
	return inTx(ctx, s.b, func(t tx) error {
		n, err := t.Exec(ctx, `DELETE FROM residents WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("delete resident %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("delete resident %d: %w", id, ErrNotFound)
		}
		return s.audit(ctx, t, AuditEntry{Actor: actor, Action: "resident.delete", Subject: fmt.Sprintf("resident:%d", id)})
	})
}
