package bench

import (
	"context"
	"fmt"
	"strconv"
)

// sippUAS is a running `sipp -sn uas` (the gateway both sides call).
type sippUAS struct {
	*sippProc
	addr      string // SIP address 127.0.0.1:port
	mediaPort int    // -mp: where -rtp_echo echoes RTP from
}

// startUAS starts sipp's built-in UAS on free ports; echo adds -rtp_echo.
func startUAS(ctx context.Context, bin, dir string, echo bool) (*sippUAS, error) {
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	args := []string{"-sn", "uas", "-i", "127.0.0.1", "-mi", "127.0.0.1",
		"-p", strconv.Itoa(ports[0]), "-mp", strconv.Itoa(ports[1]), "-cp", strconv.Itoa(ports[2]),
		"-nostdin", "-trace_err"}
	name := "sipp uas"
	if echo {
		args = append(args, "-rtp_echo")
		name += " -rtp_echo"
	}
	p, err := startSipp(bin, dir, name, args...)
	if err != nil {
		return nil, err
	}
	if err := waitBound(ctx, p, ports[0]); err != nil {
		return nil, err
	}
	return &sippUAS{sippProc: p, addr: fmt.Sprintf("127.0.0.1:%d", ports[0]), mediaPort: ports[1]}, nil
}
