package storage

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// importWriter writes batches of parsed rows, skipping residents already
// present (by phone index), in one transaction per batch.
type importWriter struct {
	s      *Store
	dry    bool
	parent int64 // where new communities go (ImportOptions.Parent)

	mu       sync.Mutex
	units    map[string]int64 // "level|parent|name" → org unit id
	imported int
	existing int
	updated  int
}

var residentCopyCols = []string{"id", "name", "phone_enc", "phone_hash", "phones_enc", "id_enc", "address_enc",
	"community_id", "grid_id", "household", "tags", "language", "notes_enc", "created_at"}

var observationCopyCols = []string{"resident_id", "reason", "start_date", "release_date", "call_times", "created_at"}

// run writes batches until in closes; several runs may share one writer
// (batches hold distinct phones: the collector removed in-file duplicates).
func (w *importWriter) run(ctx context.Context, in <-chan []importRow) error {
	for batch := range in {
		fresh, known, err := w.fresh(ctx, batch)
		if err != nil {
			return err
		}
		if !w.dry && len(fresh) > 0 {
			if err := w.write(ctx, fresh); err != nil {
				return err
			}
		}
		updated := 0
		if !w.dry {
			if updated, err = w.observe(ctx, known); err != nil {
				return err
			}
		}
		w.mu.Lock()
		w.existing += len(batch) - len(fresh)
		w.imported += len(fresh)
		w.updated += updated
		w.mu.Unlock()
	}
	return nil
}

// observe brings the observation period of residents already present in
// line with the file: a period with the row's start date is added if
// missing, or its release date changed. Re-importing the same file changes
// nothing; re-importing it with new release dates updates them.
func (w *importWriter) observe(ctx context.Context, known map[int64]importRow) (int, error) {
	n := 0
	for id, r := range known {
		if r.start.IsZero() {
			continue
		}
		err := inTx(ctx, w.s.b, func(t tx) error {
			changed, err := t.Exec(ctx, `UPDATE observations SET release_date = $3
				WHERE resident_id = $1 AND start_date = $2 AND release_date IS DISTINCT FROM $3`, id, r.start, timeArg(r.release))
			if err != nil {
				return err
			}
			added, err := t.Exec(ctx, `INSERT INTO observations (resident_id, reason, start_date, release_date, call_times, created_at)
				SELECT CAST($1 AS bigint), CAST($2 AS text), CAST($3 AS date), CAST($4 AS date), '',
				CAST($5 AS timestamptz) WHERE NOT EXISTS
				(SELECT 1 FROM observations WHERE resident_id = $1 AND start_date = $3)`,
				id, r.reason, r.start, timeArg(r.release), w.s.now())
			if changed+added > 0 {
				n++
			}
			return err
		})
		if err != nil {
			return n, fmt.Errorf("update observation: %w", err)
		}
	}
	return n, nil
}

// fresh splits a batch into the rows whose phone is new and those of
// residents already present (by resident id).
func (w *importWriter) fresh(ctx context.Context, batch []importRow) ([]importRow, map[int64]importRow, error) {
	hashes := make([][]byte, len(batch))
	for i, r := range batch {
		hashes[i] = r.hash
	}
	have, err := w.s.existingPhones(ctx, hashes)
	if err != nil {
		return nil, nil, err
	}
	if len(have) == 0 {
		return batch, nil, nil
	}
	out, known := batch[:0], map[int64]importRow{}
	for _, r := range batch {
		if id, ok := have[string(r.hash)]; ok {
			known[id] = r
		} else {
			out = append(out, r)
		}
	}
	return out, known, nil
}

// existingPhones maps the phone indexes already present to their resident ids.
func (s *Store) existingPhones(ctx context.Context, hashes [][]byte) (map[string]int64, error) {
	have := map[string]int64{}
	collect := func(q string, args ...any) error {
		rs, err := s.b.Query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("existing phones: %w", err)
		}
		defer rs.Close()
		for rs.Next() {
			var h []byte
			var id int64
			if err := rs.Scan(&h, &id); err != nil {
				return err
			}
			have[string(h)] = id
		}
		return rs.Err()
	}
	if s.b.Postgres() {
		return have, collect(`SELECT phone_hash, id FROM residents WHERE phone_hash = ANY($1)`, hashes)
	}
	const per = 500
	for i := 0; i < len(hashes); i += per {
		part := hashes[i:min(i+per, len(hashes))]
		args := make([]any, len(part))
		for j, h := range part {
			args[j] = h
		}
		q := `SELECT phone_hash, id FROM residents WHERE phone_hash IN (` +
			strings.TrimSuffix(strings.Repeat("?,", len(part)), ",") + `)`
		if err := collect(q, args...); err != nil {
			return nil, err
		}
	}
	return have, nil
}

func (w *importWriter) write(ctx context.Context, rows []importRow) error {
	res := make([][]any, len(rows))
	var obs [][]any
	now := w.s.now()
	for i, r := range rows {
		cid, err := w.unit(ctx, LevelCommunity, w.parent, r.community)
		if err != nil {
			return err
		}
		gid, err := w.unit(ctx, LevelGrid, cid, r.grid)
		if err != nil {
			return err
		}
		res[i] = []any{int64(0), r.name, r.phoneEnc, r.hash, r.phonesEnc, r.idEnc, r.addrEnc, nullID(cid),
			nullID(gid), r.household, r.tags, r.language, r.notesEnc, now}
	}
	return inTx(ctx, w.s.b, func(t tx) error {
		ids, err := w.s.allocResidentIDs(ctx, t, len(rows))
		if err != nil {
			return err
		}
		for i, r := range rows {
			res[i][0] = ids[i]
			if !r.start.IsZero() {
				obs = append(obs, []any{ids[i], r.reason, r.start, timeArg(r.release), "", now})
			}
		}
		if _, err := t.CopyFrom(ctx, "residents", residentCopyCols, res); err != nil {
			return fmt.Errorf("copy residents: %w", err)
		}
		if len(obs) > 0 {
			if _, err := t.CopyFrom(ctx, "observations", observationCopyCols, obs); err != nil {
				return fmt.Errorf("copy observations: %w", err)
			}
		}
		return nil
	})
}

// allocResidentIDs reserves n resident ids (from the sequence on
// PostgreSQL; after the largest id on SQLite, whose writer holds the lock).
func (s *Store) allocResidentIDs(ctx context.Context, t tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if !s.b.Postgres() {
		var top int64
		if err := t.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM residents`).Scan(&top); err != nil {
			return nil, fmt.Errorf("allocate ids: %w", err)
		}
		for i := range n {
			ids = append(ids, top+1+int64(i))
		}
		return ids, nil
	}
	rs, err := t.Query(ctx, `SELECT nextval(pg_get_serial_sequence('residents', 'id')) FROM generate_series(1, $1)`, n)
	if err != nil {
		return nil, fmt.Errorf("allocate ids: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, fmt.Errorf("allocate ids: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rs.Err()
}

func (w *importWriter) unit(ctx context.Context, level Level, parent int64, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	key := fmt.Sprintf("%d|%d|%s", level, parent, name)
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.units[key]; ok {
		return id, nil
	}
	id, err := w.s.EnsureOrgUnit(ctx, level, parent, name)
	if err != nil {
		return 0, err
	}
	w.units[key] = id
	return id, nil
}
