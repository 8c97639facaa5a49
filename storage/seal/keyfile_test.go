package seal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadOrCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "keys")
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	r1, err := LoadOrCreate(path, now)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Current() != "k20261128" {
		t.Fatalf("current %q", r1.Current())
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	r2, err := LoadOrCreate(path, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	v, err := r2.OpenString(r1.SealString("secret"))
	if err != nil || v != "secret" || string(r1.Index("a")) != string(r2.Index("a")) {
		t.Fatalf("reloaded ring differs: %q %v", v, err)
	}
}

func TestParseKeyFileErrors(t *testing.T) {
	for _, bad := range []string{"", "index !!!\n", "key a\n", "index AAAA\nkey a AAAA\n", "what\n"} {
		if _, err := ParseKeyFile([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	good, _ := NewKeyFile(time.Now())
	extra := string(good) + "key k2 " + strings.Repeat("A", 43) + "=\n"
	r, err := ParseKeyFile([]byte(extra))
	if err != nil || r.Current() != "k2" {
		t.Fatalf("two keys: %v", err)
	}
}

func FuzzParseKeyFile(f *testing.F) {
	good, _ := NewKeyFile(time.Unix(0, 0))
	f.Add(good)
	f.Add([]byte("index AAAA\n"))
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = ParseKeyFile(b) })
}
