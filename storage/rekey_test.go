package storage

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"outreach/storage/seal"
)

func TestRekey(t *testing.T) {
	ctx := context.Background()
	k1 := seal.Key{ID: "k1", Key: bytes.Repeat([]byte{1}, 32)}
	k2 := seal.Key{ID: "k2", Key: bytes.Repeat([]byte{2}, 32)}
	idx := bytes.Repeat([]byte{3}, 32)
	oldRing, _ := seal.NewRing([]seal.Key{k1}, idx)
	bothRing, _ := seal.NewRing([]seal.Key{k1, k2}, idx)
	newRing, _ := seal.NewRing([]seal.Key{k2}, idx)
	path := filepath.Join(t.TempDir(), "db")
	open := func(r *seal.Ring) *Store {
		s, err := Open(ctx, Config{DSN: path, Ring: r})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open(oldRing)
	ids := seedAttempts(t, s, 600) // more than one batch
	if err := s.WriteResults(ctx, benchResults(ids[:3])); err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateResident(ctx, Resident{Name: "x", Phone: "+8613900000099", IDNumber: idNumber(5), Notes: "n"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(bothRing)
	n, err := s.Rekey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 601+9 { // 600 seeded residents + 1, 3 answers of 3 attempts
		t.Fatalf("rekeyed %d rows", n)
	}
	if n, err := s.Rekey(ctx); err != nil || n != 0 {
		t.Fatalf("second rekey: %d %v", n, err)
	}
	s.Close()

	s = open(newRing) // k1 retired
	defer s.Close()
	r, err := s.Resident(ctx, id)
	if err != nil || r.IDNumber != idNumber(5) || r.Phone != "+8613900000099" {
		t.Fatalf("after rotation: %+v %v", r, err)
	}
	a, err := s.Attempt(ctx, ids[2])
	if err != nil || len(a.Answers) != 3 || a.Answers[2].Value != "没有" {
		t.Fatalf("answers after rotation: %+v %v", a, err)
	}
	if _, err := s.ResidentByPhone(ctx, "+8613900000099"); err != nil {
		t.Fatalf("index after rotation: %v", err)
	}
}
