package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
	"outreach/campaigns/queue"
	"outreach/config"
	"outreach/dialer"
	"outreach/followup"
	"outreach/prompts"
	"outreach/storage"
	"outreach/storage/seal"
)

// Options configure a Node.
type Options struct {
	Config *config.Config
	Roles  Roles
	Logger *slog.Logger
	// Now is the clock of every scheduling decision (windows, retries, due
	// times, occurrences); tests inject one. nil = time.Now.
	Now func() time.Time
	// Redis, when set, is used instead of Config.Redis (tests, demo).
	Redis *redis.Client
	// QueuePrefix namespaces the Redis keys (default "outreach"), so several
	// deployments or tests can share one Redis.
	QueuePrefix string
	// TTS, when set, replaces the engine of prompts.engine (the shipped
	// prompts of prompts.shipped are still served first).
	TTS prompts.Engine
}

// Node is one running Outreach process.
type Node struct {
	opts   Options
	cfg    *config.Config
	log    *slog.Logger
	now    func() time.Time
	store  *storage.Store
	rdb    *redis.Client
	closeR func()
	queue  *queue.Queue
	follow *followup.Service

	reg      *prometheus.Registry
	metrics  *metrics
	notifier *followup.Notifier
	dialer   *dialer.Dialer
	handler  HTTPHandler
	apiAddr  string

	mu      sync.Mutex
	started []stopper // stopped in reverse order
}

type stopper interface{ Stop() }

type stopFunc func()

func (f stopFunc) Stop() { f() }

// New opens the store and the queue. Start runs the roles.
func New(ctx context.Context, o Options) (*Node, error) {
	if o.Config == nil {
		return nil, errors.New("node: no configuration")
	}
	n := &Node{opts: o, cfg: o.Config, log: o.Logger, now: o.Now, reg: prometheus.NewRegistry()}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if n.now == nil {
		n.now = time.Now
	}
	if err := n.openStore(ctx); err != nil {
		return nil, err
	}
	if err := n.openQueue(ctx); err != nil {
		n.store.Close()
		return nil, err
	}
	var err error
	if n.notifier, err = n.newNotifier(); err != nil {
		n.Close()
		return nil, err
	}
	var wake func()
	if n.notifier != nil {
		wake = n.notifier.Kick
	}
	loc, _ := time.LoadLocation(n.cfg.Timezone)
	svc, err := followup.NewService(followup.Config{Records: n.store.Followup(), Alerts: n.store.Followup(),
		Location: loc, Now: n.now, Wake: wake, Logger: n.log})
	if err != nil {
		n.Close()
		return nil, err
	}
	n.follow = svc
	n.metrics = n.newMetrics()
	return n, nil
}

func (n *Node) openStore(ctx context.Context) error {
	var err error
	n.store, err = OpenStore(ctx, n.cfg, StoreOptions{Logger: n.log, Now: n.now})
	return err
}

// StoreOptions tune OpenStore.
type StoreOptions struct {
	NoMigrate bool // leave the schema as it is (outreach migrate)
	Logger    *slog.Logger
	Now       func() time.Time
}

// OpenStore opens the configured store: PostgreSQL when database is set,
// else the embedded store in data_dir. The key file is created (0600) when
// missing. Migrations run on open unless NoMigrate.
func OpenStore(ctx context.Context, c *config.Config, o StoreOptions) (*storage.Store, error) {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	ring, err := seal.LoadOrCreate(c.KeyFile, time.Now())
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	dsn := c.Database
	if dsn == "" {
		dsn = filepath.Join(c.DataDir, "outreach.db")
	}
	s, err := storage.Open(ctx, storage.Config{DSN: dsn, Ring: ring, NoMigrate: o.NoMigrate, Logger: o.Logger, Now: o.Now})
	if err != nil {
		return nil, fmt.Errorf("open storage: %w", err)
	}
	return s, nil
}

func (n *Node) openQueue(ctx context.Context) error {
	if n.opts.Redis != nil {
		n.rdb, n.closeR = n.opts.Redis, func() {}
		if n.opts.Roles.Robot {
			if err := queue.CheckEviction(ctx, n.rdb); err != nil {
				return err
			}
		}
	} else {
		rdb, closeR, err := openRedis(ctx, n.cfg.Redis, n.opts.Roles.Robot)
		if err != nil {
			return err
		}
		n.rdb, n.closeR = rdb, closeR
	}
	prefix := n.opts.QueuePrefix
	if prefix == "" {
		prefix = n.cfg.RedisPrefix
	}
	q, err := queue.New(n.rdb, queue.Options{Prefix: prefix, Now: n.now, Lease: n.cfg.Robot.Lease, Logger: n.log})
	if err != nil {
		n.closeR()
		return fmt.Errorf("queue: %w", err)
	}
	n.queue = q
	return nil
}

// Store is the node's store (the system of record).
func (n *Node) Store() *storage.Store { return n.store }

// Queue is the dispatch queue.
func (n *Node) Queue() *queue.Queue { return n.queue }

// Followup is the follow-up service (records and alerts).
func (n *Node) Followup() *followup.Service { return n.follow }

// Controller pauses, resumes and cancels campaigns in the store and queue.
func (n *Node) Controller() campaigns.Controller {
	return campaigns.Controller{Store: n.store, Queue: n.queue}
}

// Start runs the configured roles; it returns once they are running.
func (n *Node) Start(ctx context.Context) error {
	steps := []struct {
		on  bool
		run func(context.Context) error
	}{
		{true, n.startReconciler},
		{n.opts.Roles.Scheduler, n.startScheduler},
		{n.opts.Roles.Scheduler, n.startNotifier},
		{n.opts.Roles.Robot, n.startRobot},
		{n.opts.Roles.API, n.startAPI},
		{!n.opts.Roles.API, n.startMetrics},
	}
	for _, s := range steps {
		if !s.on {
			continue
		}
		if err := s.run(ctx); err != nil {
			n.Stop()
			return err
		}
	}
	n.log.Info("outreach node started", "roles", n.opts.Roles.String())
	return nil
}

func (n *Node) own(s stopper) {
	n.mu.Lock()
	n.started = append(n.started, s)
	n.mu.Unlock()
}

// Stop stops the roles in reverse order (the robot drains its live calls
// first) and closes the queue and the store.
func (n *Node) Stop() {
	n.mu.Lock()
	started := n.started
	n.started = nil
	n.mu.Unlock()
	for i := len(started) - 1; i >= 0; i-- {
		started[i].Stop()
	}
	n.Close()
}

// Close releases the store and Redis without stopping roles (use Stop).
func (n *Node) Close() {
	if n.closeR != nil {
		n.closeR()
		n.closeR = nil
	}
	if n.store != nil {
		n.store.Close()
		n.store = nil
	}
}
