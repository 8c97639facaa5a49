package storage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchRows is the size of the import benchmarks: 1M unless OUTREACH_BENCH_ROWS says otherwise.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("OUTREACH_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// rawSource feeds CopyFrom rows shaped exactly like the importer's: sealed
// blobs, community and grid ids (from a pool of real rows), a distinct
// 32-byte phone index per row.
type rawSource struct {
	n, i  int
	pool  [][]any
	now   time.Time
	row   []any
	err   error
	hash  [32]byte
	idSeq int64
}

func (r *rawSource) Next() bool { r.i++; return r.i <= r.n }
func (r *rawSource) Values() ([]any, error) {
	p := r.pool[r.i%len(r.pool)]
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(r.i))
	h := sha256.Sum256(b[:])
	r.row = append(r.row[:0], r.idSeq+int64(r.i), p[1], p[2], h[:], p[4], p[5], p[6], p[7], p[8], "", "", "", p[12], r.now)
	return r.row, nil
}
func (r *rawSource) Err() error { return nil }

// obsSource feeds the observation rows of the same residents.
type obsSource struct {
	n, i int
	now  time.Time
	row  []any
}

func (o *obsSource) Next() bool { o.i++; return o.i <= o.n }
func (o *obsSource) Values() ([]any, error) {
	o.row = append(o.row[:0], int64(o.i), "", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), "", o.now)
	return o.row, nil
}
func (o *obsSource) Err() error { return nil }

// BenchmarkImportPostgres imports the same generated CSV of benchRows()
// residents the importer's way and, in the same run, copies the same number
// of pre-sealed rows with one raw pgx CopyFrom; it reports both rates and
// their ratio (target ≥ 0.8).
func BenchmarkImportPostgres(b *testing.B) {
	n := benchRows()
	path := filepath.Join(b.TempDir(), "residents.csv")
	writeBigCSV(b, path, n)
	ctx := context.Background()
	var rawRate, importRate float64
	b.Run("raw_copy", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := NewTestStore(b, "postgres", nil)
			pool := sealedPool(b, s)
			b.StartTimer()
			start := time.Now()
			err := inTx(ctx, s.b, func(t tx) error {
				now := time.Now()
				if _, err := t.(pgTx).t.CopyFrom(ctx, pgx.Identifier{"residents"}, residentCopyCols,
					&rawSource{n: n, pool: pool, now: now}); err != nil {
					return err
				}
				_, err := t.(pgTx).t.CopyFrom(ctx, pgx.Identifier{"observations"}, observationCopyCols,
					&obsSource{n: n, now: now})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			rawRate = float64(n) / time.Since(start).Seconds()
		}
		b.ReportMetric(rawRate, "rows/s")
	})
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := NewTestStore(b, "postgres", nil)
			b.StartTimer()
			start := time.Now()
			rep, err := s.ImportResidents(ctx, path, ImportOptions{})
			if err != nil || rep.Imported != n {
				b.Fatalf("%+v %v", rep, err)
			}
			importRate = float64(n) / time.Since(start).Seconds()
		}
		b.ReportMetric(importRate, "rows/s")
		if rawRate > 0 {
			b.ReportMetric(importRate/rawRate, "x_raw_copy")
		}
	})
}

// sealedPool returns 1024 resident rows parsed and sealed by the importer.
func sealedPool(b *testing.B, s *Store) [][]any {
	h, _ := parseHeader([]string{"姓名", "电话", "身份证", "地址", "备注"})
	opt := &ImportOptions{}
	p := &rowParser{h: h, ring: s.ring, phone: &phoneNormalizer{}, opt: opt}
	w := &importWriter{s: s, units: map[string]int64{}}
	comms := []string{"永安里社区", "建外社区", "光华里社区", "秀水社区"}
	pool := make([][]any, 1000)
	for i := range pool {
		r, err := p.parse(i, []string{"居民" + strconv.Itoa(i), mobile(i), idNumber(i), "建国路" + strconv.Itoa(i) + "号", "无"})
		if err != nil {
			b.Fatal(err)
		}
		cid, err := w.unit(context.Background(), LevelCommunity, 0, comms[i%len(comms)])
		if err != nil {
			b.Fatal(err)
		}
		gid, err := w.unit(context.Background(), LevelGrid, cid, strconv.Itoa(i%10)+"网格")
		if err != nil {
			b.Fatal(err)
		}
		pool[i] = []any{nil, r.name, r.phoneEnc, r.hash, r.phonesEnc, r.idEnc, r.addrEnc, cid, gid, "", "", "", r.notesEnc}
	}
	return pool
}

// BenchmarkImportSQLite imports the same file into the embedded store.
func BenchmarkImportSQLite(b *testing.B) {
	n := benchRows()
	path := filepath.Join(b.TempDir(), "residents.csv")
	writeBigCSV(b, path, n)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := NewTestStore(b, "sqlite", nil)
		b.StartTimer()
		start := time.Now()
		rep, err := s.ImportResidents(ctx, path, ImportOptions{})
		if err != nil || rep.Imported != n {
			b.Fatalf("%+v %v", rep, err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
	}
}
