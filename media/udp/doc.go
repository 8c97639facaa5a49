// Package udp reads and writes non-blocking UDP sockets with raw system
// calls: recvfrom, sendto and sendmmsg. For a Conn, waiting still happens in
// Go's netpoller, through syscall.RawConn, so deadlines and Close work as
// usual. A Socket is kept out of the netpoller altogether: its owner polls
// it (the RTP pacers read their sessions' sockets on their own ticks), so
// the arrival of a datagram wakes no thread.
//
// Why: the usual wrappers (net.UDPConn, x/net's batch calls) mark the
// goroutine as in a system call. When one outlasts sysmon's 20 µs tick while
// other goroutines are runnable, the runtime hands the P to another thread
// and wakes it. On a virtual machine a loopback send or receive often takes
// that long, so a SIP or RTP server paid a thread wake-up for most
// datagrams, and sysmon itself kept napping 20 µs at a time. A raw call on
// a non-blocking socket returns at once (EAGAIN when there is nothing to
// do), so nothing is handed over.
//
// On platforms other than Linux the socket's own methods are used.
package udp
