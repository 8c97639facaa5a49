package storage

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// ImportOptions tunes ImportResidents.
type ImportOptions struct {
	Community string // community of rows that name none (--community)
	// Parent is the unit (a street or district) under which the
	// communities rows name are found or created; 0 = the root.
	Parent int64
	// Allowed, if set, confines the import to an area: rows whose community
	// (or grid) resolves to a unit it refuses, rows that would create a
	// community under a refused Parent, and rows of residents registered
	// outside are reported as bad rows; the others are imported.
	Allowed func(unitID int64) bool
	List    string // tag added to every imported resident (a campaign's list target)
	DryRun  bool   // validate and count, write nothing (--dry-run)
	// ErrorsPath receives the bad rows as CSV; empty means <input>.errors.csv.
	ErrorsPath string
	// OnProblem, if set, sees every bad row as it is found (for the screen).
	OnProblem func(Problem)
	Actor     string // who imports, for the audit log
	Workers   int    // parse/seal workers; 0 = NumCPU
	BatchSize int    // rows per copy batch; 0 = 5000
	// Writers is the number of concurrent batch transactions on PostgreSQL
	// (0 = 4; SQLite always uses one).
	Writers int
}

// Problem is a bad row.
type Problem struct {
	Line   int
	Reason string
	Cells  []string
}

// String is "line N: reason".
func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// maxReportProblems bounds the problems kept in ImportReport (all go to the CSV).
const maxReportProblems = 1000

// ImportReport counts what an import did (or would do, when dry).
type ImportReport struct {
	Encoding   string // of a CSV: utf-8 or gb18030
	Rows       int    // non-empty data rows
	Imported   int    // new residents (would be, when dry)
	Existing   int    // already present: not re-created, which makes re-import idempotent
	Updated    int    // of those, residents whose observation period was added or changed
	Bad        int    // rejected rows, in-file duplicates included
	Empty      int    // blank rows skipped
	Problems   []Problem
	ErrorsFile string // "" when there were no bad rows
	DryRun     bool
}

// ImportResidents imports residents from an .xlsx or .csv file at path. It
// streams: rows are read one by one, parsed and sealed by a worker pool and
// written in batches (COPY on PostgreSQL, multi-row INSERTs on SQLite), so
// memory stays flat whatever the file's size. Bad rows are reported and
// written to <path>.errors.csv; good rows are kept.
func (s *Store) ImportResidents(ctx context.Context, path string, opt ImportOptions) (ImportReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return ImportReport{}, fmt.Errorf("import residents: %w", err)
	}
	defer f.Close()
	if opt.ErrorsPath == "" {
		opt.ErrorsPath = path + ".errors.csv"
	}
	format := strings.ToLower(filepath.Ext(path))
	return s.ImportResidentsFrom(ctx, f, format, opt)
}

// ImportResidentsFrom imports from r; format is ".xlsx" or ".csv".
func (s *Store) ImportResidentsFrom(ctx context.Context, r io.Reader, format string, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{DryRun: opt.DryRun}
	var (
		tr  tableReader
		err error
	)
	switch format {
	case ".csv", ".txt":
		tr, rep.Encoding, err = newCSVReader(r)
	case ".xlsx", ".xlsm":
		tr, err = newXLSXReader(r)
	default:
		err = fmt.Errorf("format %q: want .xlsx or .csv", format)
	}
	if err != nil {
		return rep, fmt.Errorf("import residents: %w", err)
	}
	defer tr.Close()
	if err := s.importTable(ctx, tr, &opt, &rep); err != nil {
		return rep, fmt.Errorf("import residents: %w", err)
	}
	s.log.Info("residents import", "rows", rep.Rows, "imported", rep.Imported, "existing", rep.Existing,
		"bad", rep.Bad, "empty", rep.Empty, "dry_run", rep.DryRun)
	if !opt.DryRun {
		err = s.Audit(ctx, AuditEntry{Actor: opt.Actor, Action: "residents.import",
			Detail: fmt.Sprintf("rows=%d imported=%d existing=%d updated=%d bad=%d", rep.Rows, rep.Imported, rep.Existing,
				rep.Updated, rep.Bad)})
	}
	return rep, err
}

// chunk is a run of consecutive rows travelling through the pipeline.
type chunk struct {
	seq   int
	lines []int
	cells [][]string
	rows  []importRow
	bad   []Problem
	empty int
}

const chunkRows = 256

func (s *Store) importTable(ctx context.Context, tr tableReader, opt *ImportOptions, rep *ImportReport) error {
	h, err := readHeader(tr)
	if err != nil {
		return err
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU() // not GOMAXPROCS: a robot process may be on one P just now (package procs)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	switch {
	case !s.b.Postgres():
		opt.Writers = 1 // SQLite has one writer at a time
	case opt.Writers <= 0:
		opt.Writers = 4
	}
	p := &rowParser{h: h, ring: s.ring, phone: &phoneNormalizer{}, opt: opt, today: day(s.now()),
		area: newImportArea(s, opt)}
	errs := &errorSink{path: opt.ErrorsPath, on: opt.OnProblem}
	defer errs.close()
	g, ctx := errgroup.WithContext(ctx)
	raw, parsed := make(chan *chunk, 2*opt.Workers), make(chan *chunk, 2*opt.Workers)
	batches := make(chan []importRow, opt.Writers)
	g.Go(func() error { defer close(raw); return readChunks(ctx, tr, raw) })
	workers, wctx := errgroup.WithContext(ctx)
	for range opt.Workers {
		workers.Go(func() error { return parseChunks(wctx, p, raw, parsed) })
	}
	g.Go(func() error { defer close(parsed); return workers.Wait() })
	w := &importWriter{s: s, dry: opt.DryRun, parent: opt.Parent, units: map[string]int64{}}
	for range opt.Writers {
		g.Go(func() error { return w.run(ctx, batches) })
	}
	g.Go(func() error { defer close(batches); return collect(ctx, parsed, batches, opt.BatchSize, errs, rep) })
	err = g.Wait()
	if cerr := errs.close(); err == nil {
		err = cerr
	}
	if errs.n > 0 {
		rep.ErrorsFile = opt.ErrorsPath
	}
	rep.Imported, rep.Existing, rep.Updated = w.imported, w.existing, w.updated
	return err
}

func readHeader(tr tableReader) (headerMap, error) {
	for {
		_, cells, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return headerMap{}, errors.New("no header row")
		}
		if err != nil {
			return headerMap{}, err
		}
		if !blank(cells) {
			return parseHeader(cells)
		}
	}
}

func readChunks(ctx context.Context, tr tableReader, out chan<- *chunk) error {
	c := &chunk{}
	send := func() error {
		select {
		case out <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		c = &chunk{seq: c.seq + 1}
		return nil
	}
	for {
		line, cells, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && cells == nil && line == 0 {
			return err
		}
		row := append([]string(nil), cells...) // readers reuse their slices
		if err != nil {
			row = []string{"\x00" + err.Error()}
		}
		c.lines, c.cells = append(c.lines, line), append(c.cells, row)
		if len(c.lines) == chunkRows {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if len(c.lines) > 0 {
		return send()
	}
	return nil
}

func parseChunks(ctx context.Context, p *rowParser, in <-chan *chunk, out chan<- *chunk) error {
	for c := range in {
		for i, cells := range c.cells {
			if len(cells) == 1 && strings.HasPrefix(cells[0], "\x00") {
				c.bad = append(c.bad, Problem{Line: c.lines[i], Reason: cells[0][1:]})
				continue
			}
			r, err := p.parse(c.lines[i], cells)
			switch {
			case errors.Is(err, errEmptyRow):
				c.empty++
			case err != nil:
				c.bad = append(c.bad, Problem{Line: c.lines[i], Reason: err.Error(), Cells: cells})
			default:
				c.rows = append(c.rows, r)
			}
		}
		if p.area != nil {
			if err := p.area.confine(ctx, c); err != nil {
				return err
			}
		}
		c.cells = nil
		select {
		case out <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// collect puts chunks back in file order, drops in-file duplicates (the
// first occurrence wins) and hands batches to the writer.
func collect(ctx context.Context, in <-chan *chunk, out chan<- []importRow, size int, errs *errorSink, rep *ImportReport) error {
	pending := map[int]*chunk{}
	next := 0
	seen := map[uint64]int32{}
	batch := make([]importRow, 0, size)
	for c := range in {
		pending[c.seq] = c
		for pc, ok := pending[next]; ok; pc, ok = pending[next] {
			delete(pending, next)
			next++
			rep.Empty += pc.empty
			rep.Rows += len(pc.rows) + len(pc.bad)
			bad := pc.bad
			for _, r := range pc.rows {
				if first, dup := seen[r.fp]; dup {
					bad = append(bad, Problem{Line: r.line, Reason: "duplicate phone, same as line " + strconv.Itoa(int(first))})
					continue
				}
				seen[r.fp] = int32(r.line)
				batch = append(batch, r)
			}
			sort.Slice(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
			if err := errs.add(bad, rep); err != nil {
				return err
			}
			if len(batch) >= size {
				select {
				case out <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = make([]importRow, 0, size)
			}
		}
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// errorSink writes bad rows to the errors CSV (created on the first one).
type errorSink struct {
	path string
	on   func(Problem)
	f    *os.File
	w    *csv.Writer
	n    int
}

func (e *errorSink) add(ps []Problem, rep *ImportReport) error {
	for _, p := range ps {
		rep.Bad++
		if len(rep.Problems) < maxReportProblems {
			rep.Problems = append(rep.Problems, Problem{Line: p.Line, Reason: p.Reason})
		}
		if e.on != nil {
			e.on(Problem{Line: p.Line, Reason: p.Reason})
		}
		if e.path == "-" {
			continue
		}
		if e.w == nil {
			f, err := os.OpenFile(e.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
			if err != nil {
				return fmt.Errorf("errors file: %w", err)
			}
			e.f, e.w = f, csv.NewWriter(f)
			_, _ = f.Write(utf8BOM) // so Excel opens it as UTF-8
			_ = e.w.Write([]string{"行号(line)", "原因(reason)", "原始内容(row)"})
		}
		if err := e.w.Write(append([]string{strconv.Itoa(p.Line), p.Reason}, p.Cells...)); err != nil {
			return fmt.Errorf("errors file: %w", err)
		}
		e.n++
	}
	return nil
}

func (e *errorSink) close() error {
	if e.f == nil {
		return nil
	}
	e.w.Flush()
	err := e.w.Error()
	if cerr := e.f.Close(); err == nil {
		err = cerr
	}
	e.f = nil
	return err
}
