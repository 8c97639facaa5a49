// Package layering holds the test that enforces the import directions of
// DESIGN.md: pure-logic packages stay free of I/O adapters, and only the
// allowed arrows between top-level packages exist.
package layering

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "outreach"

// allowed lists, per top-level package, the project packages it may import.
// Leaves (mask, procs) may be imported by anyone. Sub-packages inherit their
// top-level package's row, and may import their own parent.
var allowed = map[string][]string{
	"cmd":       {"node", "demo", "scripts", "web", "robot", "campaigns", "followup", "storage", "dialer", "sim", "config", "ivr", "asr", "prompts", "media", "bench"},
	"web":       {"campaigns", "followup", "storage", "ivr", "config", "dialer", "robot", "prompts", "media"},
	"robot":     {"dialer", "ivr", "asr", "prompts", "media", "campaigns", "followup"},
	"dialer":    {"media"},
	"sim":       {"media"},
	"asr":       {"media", "ivr", "prompts"}, // prompts: tests render speech with its voices
	"prompts":   {"media"},
	"storage":   {"campaigns", "followup", "ivr"},
	"bench":     {"dialer", "sim", "media", "campaigns"},
	"ivr":       {},
	"campaigns": {},
	"followup":  {"campaigns", "ivr"}, // result types only; DESIGN.md allowed none
	"media":     {},
	"config":    {},
	"mask":      {},
	"procs":     {},
	"scripts":   {"ivr", "prompts", "asr", "media"}, // asr: the template engine's recording manifest
	"node":      {"web", "campaigns", "followup", "storage", "dialer", "robot", "prompts", "asr", "config", "ivr", "media"},
	"demo":      {"node", "sim", "campaigns", "storage", "followup", "config", "ivr", "scripts", "web", "prompts", "asr", "media"},
	"internal":  {"bench", "node", "demo", "scripts", "dialer", "sim", "media", "campaigns", "storage", "followup", "ivr", "robot", "config", "web", "prompts", "asr"},
}

var leaves = map[string]bool{"mask": true, "procs": true}

func TestImportDirections(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		from := strings.Split(filepath.ToSlash(rel), "/")[0]
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module+"/") {
				continue
			}
			to := strings.Split(strings.TrimPrefix(p, module+"/"), "/")[0]
			if to == from || leaves[to] {
				continue
			}
			row, ok := allowed[from]
			if !ok {
				t.Errorf("%s: package %q has no row in the layering table", path, from)
				continue
			}
			if !contains(row, to) {
				t.Errorf("%s imports %s: %s may import only %v", path, p, from, row)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRepositoryRootFound(t *testing.T) {
	if _, err := os.Stat(filepath.Join("..", "..", "go.mod")); err != nil {
		t.Fatalf("go.mod not found two levels up: %v", err)
	}
}
