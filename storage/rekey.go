package storage

import (
	"context"
	"fmt"
	"strings"
)

// sealedColumns lists every sealed column, per table.
var sealedColumns = []struct {
	table, key string
	cols       []string
}{
	{"residents", "id", []string{"phone_enc", "phones_enc", "id_enc", "address_enc", "notes_enc"}},
	{"answers", "id", []string{"value_enc", "raw_enc"}},
	{"health_records", "id", []string{"notes_enc", "data_enc"}},
	{"alerts", "id", []string{"notes_enc", "data_enc"}},
	{"alert_events", "seq", []string{"payload_enc"}},
}

// rekeyBatch is the rows read and rewritten per transaction.
const rekeyBatch = 500

// Rekey is the key-rotation job: it re-seals, under the ring's current key,
// every value sealed under an older one, batch by batch, and returns how
// many rows it rewrote. It may run while the system serves; run it after
// adding a new key, then retire the old key once it returns.
func (s *Store) Rekey(ctx context.Context) (int64, error) {
	var total int64
	for _, t := range sealedColumns {
		after := int64(0)
		for {
			n, last, err := s.rekeyBatch(ctx, t.table, t.key, t.cols, after)
			if err != nil {
				return total, fmt.Errorf("rekey %s: %w", t.table, err)
			}
			total += n
			if last == 0 {
				break
			}
			after = last
		}
	}
	if total > 0 {
		err := s.Audit(ctx, AuditEntry{Actor: "rekey", Action: "keys.rekey", Detail: fmt.Sprintf("%d rows to %s", total, s.ring.Current())})
		return total, err
	}
	return total, nil
}

// rekeyBatch rewrites the stale rows among the next rekeyBatch rows after
// id after; last is the last id read (0 at the end of the table).
func (s *Store) rekeyBatch(ctx context.Context, table, key string, cols []string, after int64) (n, last int64, err error) {
	err = inTx(ctx, s.b, func(t tx) error {
		rs, err := t.Query(ctx, `SELECT `+key+`, `+strings.Join(cols, ", ")+` FROM `+table+
			` WHERE `+key+` > $1 ORDER BY `+key+` LIMIT $2`, after, rekeyBatch)
		if err != nil {
			return err
		}
		type upd struct {
			id   int64
			vals []any
		}
		var todo []upd
		for rs.Next() {
			vals := make([][]byte, len(cols))
			dest := []any{&last}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rs.Scan(dest...); err != nil {
				rs.Close()
				return err
			}
			if u, stale, err := s.reseal(vals); err != nil {
				rs.Close()
				return fmt.Errorf("row %d: %w", last, err)
			} else if stale {
				todo = append(todo, upd{last, u})
			}
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		set := make([]string, len(cols))
		for i, c := range cols {
			set[i] = fmt.Sprintf("%s = $%d", c, i+2)
		}
		q := `UPDATE ` + table + ` SET ` + strings.Join(set, ", ") + ` WHERE ` + key + ` = $1`
		for _, u := range todo {
			if _, err := t.Exec(ctx, q, append([]any{u.id}, u.vals...)...); err != nil {
				return err
			}
		}
		n = int64(len(todo))
		return nil
	})
	return n, last, err
}

func (s *Store) reseal(vals [][]byte) ([]any, bool, error) {
	out := make([]any, len(vals))
	stale := false
	for i, v := range vals {
		out[i] = v
		if !s.ring.NeedsRekey(v) {
			continue
		}
		plain, err := s.ring.Open(v)
		if err != nil {
			return nil, false, err
		}
		out[i], stale = s.ring.Seal(plain), true
	}
	return out, stale, nil
}
