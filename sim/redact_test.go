package sim

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactLogger(t *testing.T) {
	var buf bytes.Buffer
	lg := newRedactLogger(slog.New(slog.NewTextHandler(&buf, nil))).With("to", "sip:13812345678@trunk")
	lg.WithGroup("sip").Info("INVITE sip:13912345678@x failed",
		"err", errors.New("parse 13712345678"), "n", 5,
		slog.Group("msg", "raw", "From: <sip:13612345678@y>"))
	out := buf.String()
	for _, num := range []string{"13812345678", "13912345678", "13712345678", "13612345678"} {
		if strings.Contains(out, num) {
			t.Fatalf("%s not masked: %s", num, out)
		}
	}
	if !strings.Contains(out, "138****5678") || !strings.Contains(out, "n=5") {
		t.Fatalf("unexpected log %s", out)
	}
}
