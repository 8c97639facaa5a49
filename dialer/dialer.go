package dialer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"outreach/media/rtp"
)

// Config configures a Dialer.
type Config struct {
	Trunks     []Trunk
	ListenAddr string // UDP host:port the SIP stack binds, e.g. 127.0.0.1:0 or 0.0.0.0:5060
	PublicAddr string // host (or host:port) written in Via, Contact and SDP; default: the listen address

	RTPPortMin, RTPPortMax int // RTP port range; 0,0 = ephemeral
	UserAgent              string
	Logger                 *slog.Logger
	Now                    func() time.Time // injected clock; nil = time.Now

	MaxRetryAfter time.Duration // cap for 503 Retry-After pauses; default 5m
	MediaTimeout  time.Duration // hang up an answered call after this long without RTP; 0 = off

	// SendWindow is how long a SIP datagram over UDP may wait for others to
	// leave with it in one sendmmsg (see DefaultSendWindow); 0 = the default,
	// negative = every datagram sent at once.
	SendWindow time.Duration
}

// Dialer places calls through its trunks. Create with New, then Start.
type Dialer struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	trunks  map[string]*trunk
	media   mediaFactory
	giveUp  time.Duration   // wait for any response before giving up a cancel (cancelGiveUp)
	finalW  time.Duration   // wait for the final response after our CANCEL (cancelFinalWait)
	pacers  *rtp.PacerGroup // shared RTP send pacers, one per CPU
	rtpBind netip.Addr

	allowed atomic.Pointer[map[netip.Addr]struct{}] // trunk IPs allowed to reach us

	ua         *sipgo.UserAgent
	client     *sipgo.Client
	parser     *sip.Parser   // responses of our own UDP transactions (udptx.go)
	answerP    *sip.Parser   // the same, once matched to an INVITE (newAnswerParser)
	txs        *txTable      // our UDP client transactions
	t1         time.Duration // RFC 3261 T1 (timerT1; shorter in tests)
	renderBufs sync.Pool     // *bytes.Buffer for render
	srv        *sipgo.Server
	conn       net.PacketConn
	tcpLn      net.Listener // only when a trunk uses tcp: in-dialog requests reach our Contact
	host       string       // public host
	port       int          // public port
	hostPort   string       // host:port as written in a Via

	mu      sync.Mutex
	calls   map[string]*Call // by Call-ID, answered or ringing
	started bool
	stopped bool
	cancel  context.CancelFunc
	quit    chan struct{} // closed by Stop
	wg      sync.WaitGroup
}

// trunk is a validated Trunk and its runtime state.
type trunk struct {
	Trunk
	rules   []compiledRule
	lim     *trunkLimiter
	udpAddr *net.UDPAddr // resolved at Start for udp trunks: where our own transactions go

	fixedOnce sync.Once
	fixed     *fixed // headers shared by every INVITE (fixedHeaders)
	health    healthState
	reg       registration
}

// New validates cfg and builds a Dialer. Nothing is bound until Start.
func New(cfg Config) (*Dialer, error) {
	if len(cfg.Trunks) == 0 {
		return nil, errors.New("dialer: no trunks configured")
	}
	if cfg.ListenAddr == "" {
		cfg.ListenAddr = "127.0.0.1:0"
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "outreach"
	}
	if err := checkText("user_agent", cfg.UserAgent, 64); err != nil {
		return nil, fmt.Errorf("dialer: %w", err)
	}
	if cfg.SendWindow == 0 {
		cfg.SendWindow = DefaultSendWindow
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 5 * time.Minute
	}
	if cfg.RTPPortMin < 0 || cfg.RTPPortMax < cfg.RTPPortMin || cfg.RTPPortMax > 65535 {
		return nil, fmt.Errorf("dialer: rtp port range %d-%d invalid", cfg.RTPPortMin, cfg.RTPPortMax)
	}
	d := &Dialer{
		cfg:     cfg,
		log:     maskedLogger(cfg.Logger),
		now:     cfg.Now,
		trunks:  make(map[string]*trunk, len(cfg.Trunks)),
		calls:   make(map[string]*Call),
		giveUp:  cancelGiveUp,
		finalW:  cancelFinalWait,
		parser:  sip.NewParser(),
		answerP: newAnswerParser(),
		txs:     newTxTable(),
		t1:      timerT1,
		quit:    make(chan struct{}),
	}
	if d.now == nil {
		d.now = time.Now
	}
	for _, t := range cfg.Trunks {
		rules, err := t.validate()
		if err != nil {
			return nil, fmt.Errorf("dialer: %w", err)
		}
		if _, dup := d.trunks[t.Name]; dup {
			return nil, fmt.Errorf("dialer: trunk %s defined twice", t.Name)
		}
		d.trunks[t.Name] = &trunk{Trunk: t, rules: rules, lim: newTrunkLimiter(t.MaxCalls, t.CPS)}
	}
	d.media = newMediaFactory(d)
	return d, nil
}

// Start resolves the trunks' addresses (the only sources we accept requests
// from), binds the SIP port and starts the health-check and registration
// loops. ctx bounds only the start itself; everything runs until Stop.
func (d *Dialer) Start(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return errors.New("dialer: already started")
	}
	if err := d.resolveTrunks(ctx); err != nil {
		return err
	}
	if err := d.bind(ctx); err != nil {
		return err
	}
	d.started = true
	ctx, d.cancel = context.WithCancel(context.WithoutCancel(ctx))
	d.pacers = rtp.NewPacerGroup(runtime.NumCPU(), d.log)
	d.pacers.Start(ctx)
	if sb, ok := d.conn.(*sendBatch); ok {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			sb.run(ctx)
		}()
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		_ = d.srv.ServeUDP(d.conn) // returns when conn is closed
	}()
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.sweepTxs(ctx)
	}()
	if d.tcpLn != nil {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			_ = d.srv.ServeTCP(d.tcpLn) // returns when the listener is closed
		}()
	}
	if err := d.waitServing(); err != nil {
		return err
	}
	for _, t := range d.trunks {
		d.startTrunkLoops(ctx, t)
	}
	d.log.Info("dialer started", "listen", d.conn.LocalAddr().String(), "trunks", len(d.trunks))
	return nil
}

// Stop hangs up every live call, stops the loops and closes the SIP port.
func (d *Dialer) Stop() {
	d.mu.Lock()
	if !d.started || d.stopped {
		d.mu.Unlock()
		return
	}
	d.stopped = true
	calls := make([]*Call, 0, len(d.calls))
	for _, c := range d.calls {
		calls = append(calls, c)
	}
	d.mu.Unlock()
	for _, c := range calls {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = c.end(ctx, Interrupted, "robot", "dialer stopped")
		cancel()
	}
	d.cancel()
	close(d.quit)
	d.txs.closeAll()
	d.pacers.Stop()
	d.conn.Close()
	if d.tcpLn != nil {
		d.tcpLn.Close()
	}
	d.ua.Close()
	d.wg.Wait()
}

// Addr returns the bound SIP address (valid after Start).
func (d *Dialer) Addr() string {
	if d.conn == nil {
		return ""
	}
	return d.conn.LocalAddr().String()
}

// sweepTxs drops finished UDP transactions once their 64·T1 is up.
func (d *Dialer) sweepTxs(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.txs.sweep(d.now())
		}
	}
}

// bounded returns a context for background protocol work (CANCEL, BYE
// after the caller left): it ends after timeout or when the dialer stops.
func (d *Dialer) bounded(timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	go func() {
		select {
		case <-d.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

func (d *Dialer) trackCall(c *Call) {
	d.mu.Lock()
	d.calls[c.callID] = c
	d.mu.Unlock()
}

func (d *Dialer) untrackCall(c *Call) {
	d.mu.Lock()
	if d.calls[c.callID] == c {
		delete(d.calls, c.callID)
	}
	d.mu.Unlock()
}

func (d *Dialer) lookupCall(callID string) *Call {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[callID]
}
