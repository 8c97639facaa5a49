package sdp

import "strconv"

// Direction is the direction attribute of a media stream (RFC 4566 §6,
// RFC 3264 §5.1). The zero value is SendRecv, the default when no direction
// attribute is present.
type Direction uint8

// The four directions of RFC 3264 §5.1.
const (
	SendRecv Direction = iota
	SendOnly
	RecvOnly
	Inactive
)

// String returns the attribute name: "sendrecv", "sendonly", "recvonly", "inactive".
func (d Direction) String() string {
	switch d {
	case SendRecv:
		return "sendrecv"
	case SendOnly:
		return "sendonly"
	case RecvOnly:
		return "recvonly"
	case Inactive:
		return "inactive"
	}
	return "Direction(" + strconv.Itoa(int(d)) + ")"
}

// CanSend reports whether the side holding this direction may send media.
func (d Direction) CanSend() bool { return d == SendRecv || d == SendOnly }

// CanReceive reports whether the side holding this direction receives media.
func (d Direction) CanReceive() bool { return d == SendRecv || d == RecvOnly }

// Reverse returns the direction seen from the other side: a peer that is
// sendonly makes us recvonly (RFC 3264 §6.1).
func (d Direction) Reverse() Direction {
	switch d {
	case SendOnly:
		return RecvOnly
	case RecvOnly:
		return SendOnly
	}
	return d
}

// directionOf combines send and receive permissions into a Direction.
func directionOf(send, recv bool) Direction {
	switch {
	case send && recv:
		return SendRecv
	case send:
		return SendOnly
	case recv:
		return RecvOnly
	}
	return Inactive
}

// parseDirection maps an attribute name to a Direction.
func parseDirection(name string) (Direction, bool) {
	switch name {
	case "sendrecv":
		return SendRecv, true
	case "sendonly":
		return SendOnly, true
	case "recvonly":
		return RecvOnly, true
	case "inactive":
		return Inactive, true
	}
	return 0, false
}
