package mask

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":    "138****5678",
		"+8613812345678": "+861******5678",
		"02188887777":    "021****7777",
		"1234567":        "*****67",
		"":               "",
	} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{"张三华": "张*华", "张三": "张*", "王": "*", "欧阳娜娜": "欧**娜", "": ""} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURIAndText(t *testing.T) {
	if got := URI("sip:13812345678@10.0.0.1:5060"); got != "sip:138****5678@10.0.0.1:5060" {
		t.Errorf("URI = %q", got)
	}
	if got := URI("<sip:13812345678@h>;tag=1"); got != "<sip:138****5678@h>;tag=1" {
		t.Errorf("URI = %q", got)
	}
	got := Text("INVITE sip:13812345678@h SIP/2.0\r\nCSeq: 1 INVITE\r\nContent-Length: 120")
	want := "INVITE sip:138****5678@h SIP/2.0\r\nCSeq: 1 INVITE\r\nContent-Length: 120"
	if got != want {
		t.Errorf("Text = %q", got)
	}
}

func TestHandlerMasksEverything(t *testing.T) {
	var buf strings.Builder
	l := slog.New(Handler(slog.NewTextHandler(&buf, nil)))
	l.With("to", "sip:13812345678@h").WithGroup("g").Info("INVITE sip:13912345678@gw",
		"raw", "From: <sip:02112345678@x>", "err", errors.New("dial 13700001111: busy"),
		slog.Group("inner", "n", "13600001111"), "count", 3, "num", int64(13500001111))
	out := buf.String()
	for _, n := range []string{"13812345678", "13912345678", "02112345678", "13700001111", "13600001111", "13500001111"} {
		if strings.Contains(out, n) {
			t.Errorf("log contains %s: %s", n, out)
		}
	}
	if !strings.Contains(out, "138****5678") || !strings.Contains(out, "count=3") {
		t.Errorf("unexpected log: %s", out)
	}
}
