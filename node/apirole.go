package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// HTTPHandler lets the web package (REST API and console) mount on the
// api role's server; Node serves /healthz and /readyz itself.
type HTTPHandler interface {
	http.Handler
}

// startAPI serves HTTP on api.listen: health and readiness always; the web
// handler (or the one set with SetHandler before Start). Sessions and
// Idempotency-Key records live in the store, shared by every api process;
// the role purges the expired ones every purgeEvery.
func (n *Node) startAPI(ctx context.Context) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := n.Ready(ctx); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	h, closeStreams, err := n.webHandler()
	if err != nil {
		return err
	}
	mux.Handle("/", h)
	ln, err := net.Listen("tcp", n.cfg.API.Listen)
	if err != nil {
		return fmt.Errorf("api listen: %w", err)
	}
	n.apiAddr = ln.Addr().String()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("api server", "err", err)
		}
	}()
	n.own(stopFunc(func() {
		closeStreams() // live progress streams would hold Shutdown open
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}))
	p := newPurger(n.store, n.now, purgeEvery, n.log)
	p.Start(ctx)
	n.own(p)
	return nil
}

// SetHandler replaces the web console and API with h (call before Start).
func (n *Node) SetHandler(h HTTPHandler) { n.handler = h }

// APIAddr is the address the api role listens on (after Start).
func (n *Node) APIAddr() string { return n.apiAddr }

// Ready checks the store and the queue.
func (n *Node) Ready(ctx context.Context) error {
	if _, err := n.store.Version(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := n.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}
