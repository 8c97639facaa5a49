package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"

	"outreach/mask"
)

// statusWriter remembers the status code; it keeps Flush for SSE.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("hijack not supported")
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe is the outermost middleware: panic recovery, metrics and a
// structured access log with the path masked (no query strings logged).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		sw := &statusWriter{ResponseWriter: w}
		info := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))
		s.metrics.inflight.Inc()
		defer func() {
			s.metrics.inflight.Dec()
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", mask.Text(r.URL.Path),
					"panic", mask.Text(fmt.Sprint(v)), "stack", mask.Text(string(debug.Stack())))
				if sw.status == 0 {
					writeError(sw, &Error{http.StatusInternalServerError, "internal", "internal error"})
				}
			}
			d := s.now().Sub(start)
			s.metrics.observe(r.Pattern, sw.status, d)
			user := info.user
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "http", slog.String("method", r.Method),
				slog.String("path", mask.Text(r.URL.Path)), slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes), slog.Duration("took", d), slog.String("user", user),
				slog.String("ip", clientIP(r)))
		}()
		next.ServeHTTP(sw, r)
	})
}

// limitBody caps the request body.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			writeError(w, &Error{http.StatusRequestEntityTooLarge, "too_large", "request body too large"})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets headers every page carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer address (proxies are not trusted).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secure says whether cookies get the Secure flag: the request came over
// TLS, or Config.SecureCookies says a TLS proxy is in front.
func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.cfg.SecureCookies }

// reqInfo carries what inner handlers learn back to the access log.
type reqInfo struct{ user string }

type reqInfoKey struct{}

// noteUser records the authenticated user for the access log.
func noteUser(ctx context.Context, user string) {
	if i, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		i.user = user
	}
}
