package e2e

import (
	"net"
	"testing"
)

// FreePort returns a port number that is free for both UDP and TCP on
// 127.0.0.1 at the moment of the call. Even numbers only, so RTP peers that
// use port+1 for RTCP (sipp does) do not collide.
func FreePort(t testing.TB) int {
	t.Helper()
	for range 100 {
		u, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatalf("free port: %v", err)
		}
		p := u.LocalAddr().(*net.UDPAddr).Port
		u.Close()
		if p%2 != 0 || p > 65000 {
			continue
		}
		if !portFree(p) || !portFree(p+1) {
			continue
		}
		return p
	}
	t.Fatal("free port: none found after 100 tries")
	return 0
}

func portFree(p int) bool {
	addr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p}
	u, err := net.ListenUDP("udp", addr)
	if err != nil {
		return false
	}
	u.Close()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: addr.IP, Port: p})
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// udpBound reports whether some process has bound 127.0.0.1:p (UDP).
func udpBound(p int) bool {
	u, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
	if err != nil {
		return true
	}
	u.Close()
	return false
}
