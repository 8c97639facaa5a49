// Package migrations embeds the numbered SQL migrations of both storage
// back ends: pg/ for PostgreSQL and lite/ for the embedded SQLite store.
// Each step is NNNN_name.up.sql with its NNNN_name.down.sql.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed pg/*.sql lite/*.sql
var files embed.FS

// Dialect names a back end's migration set.
type Dialect string

// Dialects.
const (
	Postgres Dialect = "pg"
	SQLite   Dialect = "lite"
)

// Migration is one numbered step.
type Migration struct {
	Version int
	Name    string
	Up      string
	Down    string
}

// List returns the dialect's migrations in version order; every up has a down.
func List(d Dialect) ([]Migration, error) {
	entries, err := fs.ReadDir(files, string(d))
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", d, err)
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		name := e.Name()
		base, dir, ok := cut(name)
		if !ok {
			return nil, fmt.Errorf("migrations %s: %s: want NNNN_name.up.sql or .down.sql", d, name)
		}
		num, label, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migrations %s: %s: bad version", d, name)
		}
		body, err := fs.ReadFile(files, string(d)+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("migrations %s: %w", d, err)
		}
		m := byVersion[v]
		if m == nil {
			m = &Migration{Version: v, Name: label}
			byVersion[v] = m
		}
		if dir == "up" {
			m.Up = string(body)
		} else {
			m.Down = string(body)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if m.Up == "" || m.Down == "" {
			return nil, fmt.Errorf("migrations %s: %04d_%s: up and down both required", d, m.Version, m.Name)
		}
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations %s: version %d missing", d, i+1)
		}
	}
	return out, nil
}

func cut(name string) (base, dir string, ok bool) {
	for _, dir := range []string{"up", "down"} {
		if b, found := strings.CutSuffix(name, "."+dir+".sql"); found {
			return b, dir, true
		}
	}
	return "", "", false
}
