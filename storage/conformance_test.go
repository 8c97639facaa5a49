package storage_test

import (
	"testing"
	"time"

	"outreach/storage"
	"outreach/storage/storagetest"
)

func TestConformance(t *testing.T) {
	for _, be := range storage.Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			storagetest.Run(t, func(t *testing.T, now func() time.Time) *storage.Store {
				return storage.NewTestStore(t, be, now)
			})
		})
	}
}
