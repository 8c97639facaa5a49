package storage

import (
	"context"
	"testing"
)

func TestAuditLogAppendOnly(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			if err := s.Audit(ctx, AuditEntry{Actor: "admin", Action: "export", Subject: "campaign:1"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.b.Exec(ctx, `UPDATE audit_log SET actor = 'x'`); err == nil {
				t.Error("UPDATE of the audit log succeeded")
			}
			if _, err := s.b.Exec(ctx, `DELETE FROM audit_log`); err == nil {
				t.Error("DELETE from the audit log succeeded")
			}
			log, err := s.AuditLog(ctx, 0, 10)
			if err != nil || len(log) != 1 || log[0].Actor != "admin" {
				t.Fatalf("audit log %+v %v", log, err)
			}
		})
	}
}

func TestMigrateDownUp(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			ms, err := s.migrations()
			if err != nil {
				t.Fatal(err)
			}
			if v, err := s.Version(ctx); err != nil || v != len(ms) {
				t.Fatalf("version %d %v, want %d", v, err, len(ms))
			}
			if err := s.MigrateDown(ctx, 0); err != nil {
				t.Fatal(err)
			}
			if v, _ := s.Version(ctx); v != 0 {
				t.Fatalf("after down: version %d", v)
			}
			if _, err := s.b.Exec(ctx, `SELECT 1 FROM residents`); err == nil {
				t.Fatal("residents still exists after migrating down")
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil { // idempotent
				t.Fatal(err)
			}
			if v, _ := s.Version(ctx); v != len(ms) {
				t.Fatalf("after up: version %d", v)
			}
		})
	}
}
