package sdp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// section is one m= line and its attributes (RFC 4566 §5.14).
type section struct {
	line    int // line number of the m= line
	kind    string
	port    int
	proto   string
	formats []Format
	conn    string
	ptime   int
	dir     Direction
	hasDir  bool
}

// parser holds the state of one Parse: session-level values, then the media
// sections in order.
type parser struct {
	desc   Description // session-level identifiers
	sawV   bool
	conn   string
	ptime  int
	dir    Direction
	hasDir bool
	media  []section
}

// Parse reads a session description (RFC 4566): lines end in CRLF or LF,
// session-level c=, a=ptime and direction attributes apply to media sections
// that do not override them, and the audio stream is the first audio m= line
// with a non-zero port (RFC 3264 §6: port 0 rejects a stream), preferring
// plain RTP/AVP over secure profiles. Payload types 0 and 8 need no a=rtpmap
// (RFC 3551 §6). Unknown lines and attributes are ignored.
//
// Input over MaxSize bytes, more than MaxMedia m= lines or MaxFormats formats
// in one m= line is refused. Errors name the line. Parse never panics.
func Parse(b []byte) (*Description, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("parse sdp (%d bytes, max %d): %w", len(b), MaxSize, ErrTooLarge)
	}
	var p parser
	text := string(b)
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		if err := p.line(n, strings.TrimSuffix(line, "\r")); err != nil {
			return nil, fmt.Errorf("parse sdp: %w", err)
		}
	}
	if !p.sawV {
		return nil, fmt.Errorf("parse sdp: %w", &SyntaxError{Line: 1, Reason: "missing v=0 line"})
	}
	return p.result()
}

func (p *parser) line(n int, line string) error {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	if len(line) < 2 || line[1] != '=' {
		return &SyntaxError{Line: n, Reason: "expected <type>=<value>", Text: clip(line)}
	}
	typ, val := line[0], line[2:]
	if !p.sawV && typ != 'v' {
		return &SyntaxError{Line: n, Reason: "first line must be v=0", Text: clip(line)}
	}
	switch typ {
	case 'v':
		if p.sawV || strings.TrimSpace(val) != "0" {
			return &SyntaxError{Line: n, Reason: "expected a single v=0", Text: clip(line)}
		}
		p.sawV = true
	case 'o':
		return p.origin(n, line, val)
	case 'c':
		return p.connection(n, line, val)
	case 'm':
		return p.mediaLine(n, line, val)
	case 'a':
		return p.attribute(n, line, val)
	}
	return nil // s=, t=, b=, i=, ... carry nothing we use
}

// origin reads o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address> (§5.2).
func (p *parser) origin(n int, line, val string) error {
	f := strings.Fields(val)
	if len(f) != 6 {
		return &SyntaxError{Line: n, Reason: "o= needs 6 fields", Text: clip(line)}
	}
	id, ok1 := parseDigits(f[1])
	ver, ok2 := parseDigits(f[2])
	if !ok1 || !ok2 {
		return &SyntaxError{Line: n, Reason: "o= session id and version must be numeric", Text: clip(line)}
	}
	p.desc.SessionID, p.desc.SessionVersion = id, ver
	return nil
}

// connection reads c=IN IP4|IP6 <address>[/ttl[/count]] (§5.7).
func (p *parser) connection(n int, line, val string) error {
	f := strings.Fields(val)
	if len(f) != 3 {
		return &SyntaxError{Line: n, Reason: "c= needs 3 fields", Text: clip(line)}
	}
	if !strings.EqualFold(f[0], "IN") {
		return &SyntaxError{Line: n, Reason: "c= network type must be IN", Text: clip(line)}
	}
	if at := strings.ToUpper(f[1]); at != "IP4" && at != "IP6" {
		return &SyntaxError{Line: n, Reason: "c= address type must be IP4 or IP6", Text: clip(line)}
	}
	addr, _, _ := strings.Cut(f[2], "/")
	if addr == "" {
		return &SyntaxError{Line: n, Reason: "c= address is empty", Text: clip(line)}
	}
	if s := p.current(); s != nil {
		s.conn = addr
	} else {
		p.conn = addr
	}
	return nil
}

// mediaLine reads m=<media> <port>[/<count>] <proto> <fmt> ... (§5.14).
func (p *parser) mediaLine(n int, line, val string) error {
	if len(p.media) >= MaxMedia {
		return fmt.Errorf("line %d: more than %d m= lines: %w", n, MaxMedia, ErrTooLarge)
	}
	f := strings.Fields(val)
	if len(f) < 3 {
		return &SyntaxError{Line: n, Reason: "m= needs media, port and protocol", Text: clip(line)}
	}
	portText, _, _ := strings.Cut(f[1], "/")
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return &SyntaxError{Line: n, Reason: "m= port out of range", Text: clip(line)}
	}
	if len(f)-3 > MaxFormats {
		return fmt.Errorf("line %d: %d formats, max %d: %w", n, len(f)-3, MaxFormats, ErrTooLarge)
	}
	s := section{line: n, kind: strings.ToLower(f[0]), port: port, proto: f[2]}
	if isRTP(s.proto) {
		for _, tok := range f[3:] {
			pt, ok := parsePayloadType(tok)
			if !ok {
				return &SyntaxError{Line: n, Reason: "m= payload type must be 0-127", Text: clip(line)}
			}
			if s.find(pt) >= 0 {
				continue // listed twice: keep the first position
			}
			name, rate := staticFormat(pt)
			s.formats = append(s.formats, Format{PayloadType: pt, Name: name, ClockRate: rate})
		}
	}
	p.media = append(p.media, s)
	return nil
}

// attribute reads a= lines (§5.13, §6): rtpmap, fmtp, ptime and the
// direction attributes. Others are ignored.
func (p *parser) attribute(n int, line, val string) error {
	name, arg, _ := strings.Cut(strings.TrimSpace(val), ":")
	if d, ok := parseDirection(strings.ToLower(name)); ok {
		if s := p.current(); s != nil {
			s.dir, s.hasDir = d, true
		} else {
			p.dir, p.hasDir = d, true
		}
		return nil
	}
	s := p.current()
	switch strings.ToLower(name) {
	case "ptime":
		// A hint (§6): an unreadable value is ignored rather than failing the call.
		v, err := strconv.ParseFloat(strings.TrimSpace(arg), 64)
		if err != nil || !(v >= 1 && v <= 1000) {
			return nil
		}
		if s != nil {
			s.ptime = int(math.Round(v))
		} else {
			p.ptime = int(math.Round(v))
		}
	case "rtpmap":
		if s != nil && isRTP(s.proto) {
			return s.rtpmap(n, line, arg)
		}
	case "fmtp":
		if s != nil && isRTP(s.proto) {
			return s.fmtp(n, line, arg)
		}
	}
	return nil
}

// rtpmap reads a=rtpmap:<pt> <encoding name>/<clock rate>[/<channels>] (§6).
func (s *section) rtpmap(n int, line, arg string) error {
	f := strings.Fields(arg)
	if len(f) != 2 {
		return &SyntaxError{Line: n, Reason: "rtpmap needs a payload type and an encoding", Text: clip(line)}
	}
	pt, ok := parsePayloadType(f[0])
	parts := strings.Split(f[1], "/")
	if !ok || len(parts) < 2 || len(parts) > 3 || parts[0] == "" {
		return &SyntaxError{Line: n, Reason: "rtpmap must read <pt> <name>/<rate>", Text: clip(line)}
	}
	rate, err := strconv.Atoi(parts[1])
	if err != nil || rate <= 0 || rate > 1_000_000 {
		return &SyntaxError{Line: n, Reason: "rtpmap clock rate out of range", Text: clip(line)}
	}
	if i := s.find(pt); i >= 0 {
		s.formats[i].Name, s.formats[i].ClockRate = parts[0], rate
	}
	return nil
}

// fmtp reads a=fmtp:<pt> <format specific parameters> (§6).
func (s *section) fmtp(n int, line, arg string) error {
	arg = strings.TrimSpace(arg)
	ptText, params := arg, ""
	if i := strings.IndexAny(arg, " \t"); i >= 0 {
		ptText, params = arg[:i], arg[i+1:]
	}
	pt, ok := parsePayloadType(ptText)
	if !ok {
		return &SyntaxError{Line: n, Reason: "fmtp payload type must be 0-127", Text: clip(line)}
	}
	if i := s.find(pt); i >= 0 {
		s.formats[i].Fmtp = strings.TrimSpace(params)
	}
	return nil
}

func (s *section) find(pt uint8) int {
	for i, f := range s.formats {
		if f.PayloadType == pt {
			return i
		}
	}
	return -1
}

// current returns the media section being read, nil at session level.
func (p *parser) current() *section {
	if len(p.media) == 0 {
		return nil
	}
	return &p.media[len(p.media)-1]
}

// result picks the audio stream and resolves session-level defaults.
func (p *parser) result() (*Description, error) {
	d := p.desc
	s := p.audio()
	if s == nil {
		return &d, nil
	}
	d.AudioPort, d.Proto, d.Formats = s.port, s.proto, s.formats
	d.ConnAddr, d.Ptime, d.Direction = p.conn, p.ptime, p.dir
	if s.conn != "" {
		d.ConnAddr = s.conn
	}
	if s.ptime != 0 {
		d.Ptime = s.ptime
	}
	if s.hasDir {
		d.Direction = s.dir
	}
	if d.AudioPort != 0 && d.ConnAddr == "" {
		return nil, fmt.Errorf("parse sdp: m= line %d: %w", s.line, ErrNoConnection)
	}
	return &d, nil
}

// audio chooses the first live plain-RTP audio stream, else the first live
// audio stream, else the first (rejected) audio stream.
func (p *parser) audio() *section {
	var live, first *section
	for i := range p.media {
		s := &p.media[i]
		if s.kind != "audio" {
			continue
		}
		if s.port != 0 && isPlainRTP(s.proto) {
			return s
		}
		if s.port != 0 && live == nil {
			live = s
		}
		if first == nil {
			first = s
		}
	}
	if live != nil {
		return live
	}
	return first
}

func parsePayloadType(s string) (uint8, bool) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > 127 {
		return 0, false
	}
	return uint8(v), true
}

// parseDigits reads a decimal number of any length; values beyond 64 bits
// wrap (some devices write 20-digit session ids, RFC 4566 §5.2 only asks for
// a numeric string).
func parseDigits(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
