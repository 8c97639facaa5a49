package storage

import (
	"errors"
	"testing"
)

func TestScriptVersions(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			s := NewTestStore(t, be, nil)
			ctx := t.Context()
			v1, err := s.SaveScript(ctx, "daily", "sha256:a", []byte("id: daily\n"), "admin")
			if err != nil || v1.Version != 1 || v1.Ref() != "daily@1" {
				t.Fatalf("v1 = %+v, %v", v1, err)
			}
			same, err := s.SaveScript(ctx, "daily", "sha256:a", []byte("id: daily\n"), "admin")
			if err != nil || same.Version != 1 {
				t.Fatalf("same digest made a new version: %+v %v", same, err)
			}
			v2, err := s.SaveScript(ctx, "daily", "sha256:b", []byte("id: daily\n# v2\n"), "admin")
			if err != nil || v2.Version != 2 {
				t.Fatalf("v2 = %+v, %v", v2, err)
			}
			got, err := s.Script(ctx, "daily@1")
			if err != nil || string(got.Source) != "id: daily\n" {
				t.Fatalf("pinned v1 = %+v, %v", got, err)
			}
			if latest, _ := s.Script(ctx, "daily"); latest.Version != 2 {
				t.Fatalf("latest = %d", latest.Version)
			}
			if vs, _ := s.ScriptVersions(ctx, "daily"); len(vs) != 2 || vs[0].Version != 2 {
				t.Fatalf("versions = %+v", vs)
			}
			if _, err := s.Script(ctx, "daily@9"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("missing version: %v", err)
			}
			if _, err := s.SaveScript(ctx, "bad@id", "x", nil, "a"); err == nil {
				t.Fatal("id with @ accepted")
			}
		})
	}
}
