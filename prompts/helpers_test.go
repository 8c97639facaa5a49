package prompts

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// fileTimeLater returns a modification time a second after path's.
func fileTimeLater(t *testing.T, path string) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime().Add(time.Second)
}
