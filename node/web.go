package node

import (
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"outreach/campaigns"
	"outreach/web"
)

// newWeb builds the REST API and console on this node's store and queue.
// Trunk status comes from this process's dialer when it runs the robot
// role; prompts are rendered with the robot's renderer.
func (n *Node) newWeb() (*web.Server, error) {
	loc, _ := time.LoadLocation(n.cfg.Timezone)
	a, err := web.NewStoreAdapter(n.store, n.now, loc)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	cfg := web.Config{Backends: a.Backends(),
		Runner: web.ControllerRunner{Controller: campaigns.Controller{Store: n.store, Queue: n.queue},
			Source: web.StoreProgress{S: n.store}},
		Scripts: web.StoreScripts{S: n.store}, Registry: n.reg, Logger: n.log, Now: n.now, Location: loc, Org: n.cfg.Org,
		RecordingsDir: filepath.Join(n.cfg.DataDir, "recordings"),
		// In the database: every api process sees them, and a restart keeps them.
		Sessions:    web.StoreSessions{S: n.store, Now: n.now},
		Idempotency: web.StoreIdempotency{S: n.store, Now: n.now}}
	if n.dialer != nil {
		cfg.Trunks = n.dialer
	}
	if len(n.cfg.Trunks) > 0 {
		cfg.DefaultTrunk = n.cfg.Trunks[0].Name
	}
	if r, err := n.renderer(); err == nil {
		cfg.Speaker = r
	}
	srv, err := web.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return srv, nil
}

// webHandler returns the handler mounted at "/" of the api role, and a
// function that ends its live streams before the HTTP server shuts down.
func (n *Node) webHandler() (http.Handler, func(), error) {
	if n.handler != nil {
		return n.handler, func() {}, nil
	}
	srv, err := n.newWeb()
	if err != nil {
		return nil, nil, err
	}
	return srv, srv.Close, nil
}
