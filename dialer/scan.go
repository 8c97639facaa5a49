package dialer

import (
	"bytes"
	"strconv"
)

// scanned is what matching a response to a client transaction needs,
// read without building the message (RFC 3261 §17.1.3: the top Via's branch
// and the CSeq method).
type scanned struct {
	code   int
	reason string
	branch string
	method string
	body   bool // Content-Length is not zero (or absent with bytes after the headers)
}

// scanResponse reads a response's status line, top Via branch, CSeq method
// and whether it has a body. ok is false for anything it does not read
// plainly (folded lines, a missing header, a request): the caller then
// parses the message in full, which also reports what is wrong with it.
func scanResponse(data []byte) (s scanned, ok bool) {
	line, rest, found := bytes.Cut(data, []byte("\r\n"))
	if !found || len(line) < 12 || string(line[:8]) != "SIP/2.0 " || line[11] != ' ' {
		return s, false
	}
	code, err := strconv.Atoi(string(line[8:11]))
	if err != nil || code < 100 || code > 699 {
		return s, false
	}
	s.code, s.reason = code, string(line[12:])
	length, haveLength := -1, false
	for {
		line, rest, found = bytes.Cut(rest, []byte("\r\n"))
		if !found {
			return s, false
		}
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return s, false // a folded header: left to the full parser
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if !found {
			return s, false
		}
		value = bytes.TrimSpace(value)
		switch string(bytes.ToLower(bytes.TrimSpace(name))) {
		case "via", "v":
			if s.branch == "" {
				if s.branch = viaBranch(value); s.branch == "" {
					return s, false
				}
			}
		case "cseq":
			_, m, found := bytes.Cut(value, []byte(" "))
			if !found || s.method != "" {
				return s, false
			}
			s.method = string(bytes.TrimSpace(m))
		case "content-length", "l":
			n, err := strconv.Atoi(string(value))
			if err != nil || n < 0 || haveLength {
				return s, false
			}
			length, haveLength = n, true
		}
	}
	if s.branch == "" || s.method == "" {
		return s, false
	}
	s.body = length > 0 || (!haveLength && len(rest) > 0)
	return s, true
}

// viaBranch returns the branch parameter of the first value of a Via
// header ("SIP/2.0/UDP host;branch=z9hG4bK...;rport, SIP/2.0/UDP ..."). As
// sipgo reads it: the exact name, and the last one if it repeats.
func viaBranch(v []byte) string {
	if i := bytes.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	branch := ""
	for {
		i := bytes.IndexByte(v, ';')
		if i < 0 {
			return branch
		}
		v = v[i+1:]
		param := v
		if j := bytes.IndexByte(param, ';'); j >= 0 {
			param = param[:j]
		}
		if k, val, _ := bytes.Cut(param, []byte("=")); string(bytes.TrimSpace(k)) == "branch" {
			branch = string(bytes.TrimSpace(val))
		}
	}
}
