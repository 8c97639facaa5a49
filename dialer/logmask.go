package dialer

import (
	"context"
	"fmt"
	"log/slog"

	"outreach/mask"
)

// MaskHandler wraps a slog.Handler so that the message and every attribute
// value pass through mask.Text: runs of 7+ digits (phone numbers inside raw
// SIP messages, URIs, errors) are masked before the record is written.
// The dialer hands loggers built on it to every sipgo layer it creates; a
// process may also install one as sipgo's default logger
// (sip.SetDefaultLogger(slog.New(dialer.NewMaskHandler(h)))).
type MaskHandler struct{ next slog.Handler }

// NewMaskHandler returns a masking wrapper around next.
func NewMaskHandler(next slog.Handler) *MaskHandler {
	if m, ok := next.(*MaskHandler); ok {
		return m
	}
	return &MaskHandler{next: next}
}

// Enabled implements slog.Handler.
func (h *MaskHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *MaskHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, mask.Text(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *MaskHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	m := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		m[i] = maskAttr(a)
	}
	return &MaskHandler{next: h.next.WithAttrs(m)}
}

// WithGroup implements slog.Handler.
func (h *MaskHandler) WithGroup(name string) slog.Handler {
	return &MaskHandler{next: h.next.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	a.Key = mask.Text(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(mask.Text(v.String()))
	case slog.KindGroup:
		g := v.Group()
		m := make([]slog.Attr, len(g))
		for i, x := range g {
			m[i] = maskAttr(x)
		}
		a.Value = slog.GroupValue(m...)
	case slog.KindAny:
		a.Value = slog.StringValue(mask.Text(fmt.Sprint(v.Any())))
	case slog.KindInt64, slog.KindUint64:
		// A number stored as an integer can still be a phone number.
		a.Value = slog.StringValue(mask.Text(v.String()))
	default:
		a.Value = v
	}
	return a
}

// maskedLogger wraps l in a MaskHandler; nil gives a logger that drops everything.
func maskedLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(NewMaskHandler(l.Handler()))
}
