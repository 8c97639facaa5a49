// Package sim simulates residents: a SIP user agent server that answers
// calls according to personas chosen by the dialed number — answer after
// some rings, busy, no answer, reject, hang up mid-way, press digits
// (RFC 4733 or SIP INFO), speak a recorded answer, stay silent, or play a
// number-not-in-service announcement as early media. It records what it
// heard and logs every INVITE so tests, the demo and benchmarks can check
// what a dialer did. It never imports the dialer.
//
// Personas come from Config (Rules tried in order, then a weighted default
// mix picked by a hash of the dialed number) or from a YAML file read by
// LoadPersonas; testdata/personas.yaml documents every field.
package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Config configures a Server.
type Config struct {
	// Listen is the SIP address, "127.0.0.1:0" by default; a "tcp://" or
	// "udp://" prefix selects the transport.
	Listen string
	// Transport is "udp" (default) or "tcp"; a Listen prefix wins.
	Transport string
	// Personas are tried in order; Default is the weighted mix for numbers
	// no rule matches (DefaultPersona when empty).
	Personas []Rule
	Default  []Weighted
	Logger   *slog.Logger
	Clock    func() time.Time
	// RTPPortMin/Max bound the RTP ports (even ports); 0,0 = ephemeral.
	RTPPortMin, RTPPortMax int
	// Record keeps the decoded incoming audio in CallLog.Heard; RecordDir
	// also writes it to RecordDir/<call-id>.wav.
	Record    bool
	RecordDir string
	// AudibleDBFS is the level above which a frame counts as heard audio
	// (default -45 dBFS).
	AudibleDBFS float64
	// MaxRing ends unanswered no_answer calls with 480 (default 3 min);
	// MaxDuration ends answered calls with BYE (default 10 min).
	MaxRing, MaxDuration time.Duration
	// MaxLogs bounds the call logs kept for Calls (the oldest finished ones
	// go first); 0 keeps all. InviteCount and Concurrent are not affected.
	MaxLogs int
	// UserAgent is the User-Agent header (default "outreach-sim").
	UserAgent string
	// PublicAddr is the IP written in Contact and SDP and bound for RTP;
	// default the Listen host (127.0.0.1 when that is a wildcard).
	PublicAddr string
}

// Server is a running simulator.
type Server struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	network string
	host    string
	chooser *chooser
	reg     *registry
	eng     engine

	ua      *sipgo.UserAgent
	srv     *sipgo.Server
	client  *sipgo.Client
	dialogs *sipgo.DialogServerCache

	mu      sync.Mutex
	started bool
	stopped bool
	addr    string
	closer  io.Closer
	stop    chan struct{}
	wg      sync.WaitGroup // serve and watch goroutines
	calls   sync.WaitGroup // request handlers and their call goroutines
}

// New checks cfg and builds a Server; Start makes it listen.
func New(cfg Config) (*Server, error) {
	network, listen, err := splitListen(cfg)
	if err != nil {
		return nil, fmt.Errorf("new sim: %w", err)
	}
	cfg.Listen = listen
	ch, err := newChooser(cfg.Personas, cfg.Default)
	if err != nil {
		return nil, fmt.Errorf("new sim: personas: %w", err)
	}
	if cfg.RTPPortMin < 0 || cfg.RTPPortMax < cfg.RTPPortMin || cfg.RTPPortMax > 65535 {
		return nil, fmt.Errorf("new sim: bad RTP port range %d-%d", cfg.RTPPortMin, cfg.RTPPortMax)
	}
	setDefaults(&cfg)
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, fmt.Errorf("new sim: listen %q: %w", listen, err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Clock, network: network, host: host,
		chooser: ch, reg: newRegistry(cfg.MaxLogs), stop: make(chan struct{})}
	s.eng, err = newEngine(s)
	if err != nil {
		return nil, fmt.Errorf("new sim: %w", err)
	}
	return s, nil
}

func setDefaults(cfg *Config) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.AudibleDBFS == 0 {
		cfg.AudibleDBFS = -45
	}
	if cfg.MaxRing <= 0 {
		cfg.MaxRing = 3 * time.Minute
	}
	if cfg.MaxDuration <= 0 {
		cfg.MaxDuration = 10 * time.Minute
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "outreach-sim"
	}
}

func splitListen(cfg Config) (network, addr string, err error) {
	network = strings.ToLower(cfg.Transport)
	addr = cfg.Listen
	if i := strings.Index(addr, "://"); i >= 0 {
		network, addr = strings.ToLower(addr[:i]), addr[i+3:]
	}
	if network == "" {
		network = "udp"
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if network != "udp" && network != "tcp" {
		return "", "", fmt.Errorf("transport %q: want udp or tcp", network)
	}
	return network, addr, nil
}

// Start listens and serves until ctx ends or Stop is called. The bound
// address is available from Addr when Start returns.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return errors.New("start sim: already started or stopped")
	}
	if err := s.buildUA(); err != nil {
		return fmt.Errorf("start sim: %w", err)
	}
	serve, err := s.listen()
	if err != nil {
		s.ua.Close()
		return fmt.Errorf("start sim: %w", err)
	}
	s.started = true
	s.eng.start()
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := serve(); err != nil && !s.isStopped() {
			s.log.Error("sim serve ended", "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
			s.shutdown()
		case <-s.stop:
		}
		// Calls hang up (BYE) through the listener: close it after them.
		s.calls.Wait()
		s.closer.Close()
	}()
	s.log.Info("sim listening", "network", s.network, "addr", s.addr)
	return nil
}

func (s *Server) listen() (serve func() error, err error) {
	if s.network == "tcp" {
		l, err := net.Listen("tcp", s.cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("listen tcp %s: %w", s.cfg.Listen, err)
		}
		s.addr, s.closer = l.Addr().String(), l
		s.setContact()
		return func() error { return s.srv.ServeTCP(l) }, nil
	}
	pc, err := net.ListenPacket("udp", s.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen udp %s: %w", s.cfg.Listen, err)
	}
	s.addr, s.closer = pc.LocalAddr().String(), pc
	s.setContact()
	return func() error { return s.srv.ServeUDP(pc) }, nil
}

// Addr is the bound SIP address (host:port), empty before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// sdpHost is the address for SDP c= lines and RTP sockets.
func (s *Server) sdpHost() string {
	if s.cfg.PublicAddr != "" {
		return s.cfg.PublicAddr
	}
	switch s.host {
	case "", "0.0.0.0", "::":
		return "127.0.0.1"
	}
	return s.host
}

// Network is "udp" or "tcp".
func (s *Server) Network() string { return s.network }

// Stop ends every call, stops listening and waits for all goroutines.
func (s *Server) Stop() {
	s.shutdown()
	s.wg.Wait()
	s.mu.Lock()
	ua := s.ua
	s.mu.Unlock()
	if ua != nil {
		ua.Close()
	}
	s.eng.stop()
}

func (s *Server) shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.stopped = true
	close(s.stop)
}

func (s *Server) isStopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

// track registers a handler goroutine so Stop waits for it; false once
// stopping.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	s.calls.Add(1)
	return true
}

// Calls returns a copy of every call log, in INVITE order.
func (s *Server) Calls() []CallLog { return s.reg.snapshot() }

// Call returns the log of one call by its Call-ID.
func (s *Server) Call(callID string) (CallLog, bool) { return s.reg.lookup(callID) }

// WaitIdle waits until no call is live and every call log is Finished.
func (s *Server) WaitIdle(ctx context.Context) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !s.reg.idle() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait idle: %w", ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// InviteCount is the number of distinct INVITEs (by Call-ID and CSeq, so
// retransmissions count once) received for number.
func (s *Server) InviteCount(number string) int { return s.reg.inviteCount(number) }

// Concurrent reports the live calls now and the peak since Start.
func (s *Server) Concurrent() (now, max int) { return s.reg.concurrent() }

func (s *Server) buildUA() error {
	lg := newRedactLogger(s.log)
	ua, err := sipgo.NewUA(
		sipgo.WithUserAgent(s.cfg.UserAgent),
		sipgo.WithUserAgentHostname(s.host),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(lg)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(lg)),
	)
	if err != nil {
		return fmt.Errorf("sip user agent: %w", err)
	}
	srv, err := sipgo.NewServer(ua, sipgo.WithServerLogger(lg))
	if err != nil {
		ua.Close()
		return fmt.Errorf("sip server: %w", err)
	}
	client, err := sipgo.NewClient(ua, sipgo.WithClientLogger(lg), sipgo.WithClientHostname(s.host))
	if err != nil {
		ua.Close()
		return fmt.Errorf("sip client: %w", err)
	}
	s.ua, s.srv, s.client = ua, srv, client
	s.routes()
	return nil
}

// setContact builds the dialog cache once the bound port is known.
func (s *Server) setContact() {
	_, port, _ := net.SplitHostPort(s.addr)
	uri := sip.Uri{Scheme: "sip", User: "sim", Host: s.sdpHost(), Port: atoiPort(port)}
	if s.network == "tcp" {
		uri.UriParams = sip.NewParams()
		uri.UriParams.Add("transport", "tcp")
	}
	s.dialogs = sipgo.NewDialogServerCache(s.client, sip.ContactHeader{Address: uri})
}

func atoiPort(p string) int {
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
