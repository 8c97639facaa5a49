package seal

import (
	"bytes"
	"errors"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSealOpenRotate(t *testing.T) {
	old, err := NewRing([]Key{{ID: "k1", Key: key(1)}}, key(9))
	if err != nil {
		t.Fatal(err)
	}
	s1 := old.SealString("+8613812345678")
	if bytes.Contains(s1, []byte("13812345678")) {
		t.Fatal("plaintext visible in sealed value")
	}
	if bytes.Equal(s1, old.SealString("+8613812345678")) {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
	ring, err := NewRing([]Key{{ID: "k1", Key: key(1)}, {ID: "k2", Key: key(2)}}, key(9))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ring.OpenString(s1)
	if err != nil || got != "+8613812345678" {
		t.Fatalf("open old value with new ring: %q %v", got, err)
	}
	if !ring.NeedsRekey(s1) || ring.NeedsRekey(ring.SealString("x")) {
		t.Fatal("NeedsRekey wrong")
	}
	if id, _ := KeyID(ring.SealString("x")); id != "k2" {
		t.Fatalf("sealing key %q, want k2", id)
	}
	if _, err := old.Open(ring.SealString("x")); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("open with missing key: %v", err)
	}
	if !bytes.Equal(old.Index("a"), ring.Index("a")) || bytes.Equal(ring.Index("a"), ring.Index("b")) {
		t.Fatal("index not deterministic per value")
	}
	if v := ring.Seal(nil); v != nil {
		t.Fatal("empty value must seal to nil")
	}
}

func TestOpenCorrupt(t *testing.T) {
	r, _ := NewRing([]Key{{ID: "k", Key: key(1)}}, key(2))
	s := r.SealString("hello")
	cases := map[string][]byte{
		"short":   {1},
		"version": append([]byte{2}, s[1:]...),
		"idlen":   {1, 200, 'k'},
		"tag":     append(append([]byte(nil), s[:len(s)-1]...), s[len(s)-1]^1),
		"aad":     append([]byte{1, 1, 'k'}, s[3:len(s)-20]...),
	}
	for name, in := range cases {
		if _, err := r.Open(in); err == nil {
			t.Errorf("%s: corrupt value opened", name)
		}
	}
}

func TestNewRingErrors(t *testing.T) {
	cases := []struct {
		name string
		keys []Key
		idx  []byte
	}{
		{"none", nil, key(1)},
		{"short key", []Key{{ID: "a", Key: key(1)[:16]}}, key(1)},
		{"no id", []Key{{Key: key(1)}}, key(1)},
		{"dup", []Key{{ID: "a", Key: key(1)}, {ID: "a", Key: key(2)}}, key(1)},
		{"index", []Key{{ID: "a", Key: key(1)}}, key(1)[:5]},
	}
	for _, c := range cases {
		if _, err := NewRing(c.keys, c.idx); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

func FuzzOpen(f *testing.F) {
	r, _ := NewRing([]Key{{ID: "k", Key: key(1)}}, key(2))
	f.Add(r.SealString("seed"))
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = r.Open(b) // must not panic
	})
}

func BenchmarkSeal(b *testing.B) {
	r, _ := NewRing([]Key{{ID: "k", Key: key(1)}}, key(2))
	for b.Loop() {
		r.SealString("+8613812345678")
		r.Index("+8613812345678")
	}
}
