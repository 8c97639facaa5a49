package mask

import (
	"context"
	"log/slog"
)

// Handler wraps a slog.Handler so that the message and every string, error
// and stringer attribute pass through Text: no run of seven or more digits
// (a phone or ID number) reaches the log, even when a library logs a raw SIP
// message.
func Handler(next slog.Handler) slog.Handler { return handler{next} }

type handler struct{ next slog.Handler }

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Text(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h handler) WithAttrs(as []slog.Attr) slog.Handler {
	m := make([]slog.Attr, len(as))
	for i, a := range as {
		m[i] = attr(a)
	}
	return handler{h.next.WithAttrs(m)}
}

func (h handler) WithGroup(name string) slog.Handler { return handler{h.next.WithGroup(name)} }

func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Text(v.String()))
	case slog.KindGroup:
		g := v.Group()
		m := make([]any, len(g))
		for i, x := range g {
			m[i] = attr(x)
		}
		return slog.Group(a.Key, m...)
	case slog.KindInt64, slog.KindUint64:
		// A number logged as an integer may be a phone number too.
		if t := v.String(); len(t) >= 7 {
			return slog.String(a.Key, Text(t))
		}
		return a
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Text(err.Error()))
		}
		return slog.String(a.Key, Text(v.String()))
	}
	return a
}
