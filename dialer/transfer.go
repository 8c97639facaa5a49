package dialer

import (
	"context"
	"fmt"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// Transfer asks the far side to call target (a phone number or a sip: URI)
// with REFER (RFC 3515 §2.4.1), and returns once the REFER is accepted
// (2xx). Progress arrives as NOTIFY, answered 200 by the dialer.
func (c *Call) Transfer(ctx context.Context, target string) error {
	if err := checkText("transfer target", target, 256); err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	var uri string
	if strings.HasPrefix(target, "sip:") || strings.HasPrefix(target, "sips:") {
		var u sip.Uri
		if err := sip.ParseUri(target, &u); err != nil || strings.ContainsAny(target, "<>\"") {
			return fmt.Errorf("transfer: bad target URI")
		}
		uri = u.String()
	} else {
		if err := checkNumber("transfer target", target); err != nil {
			return fmt.Errorf("transfer: %w", err)
		}
		u := c.t.uri(target)
		u.UriParams = nil
		uri = u.String()
	}
	select {
	case <-c.done:
		return fmt.Errorf("transfer: call already ended")
	default:
	}
	by := c.t.uri(c.t.CallerID)
	by.UriParams = nil
	res, err := c.do(ctx, sip.REFER, []sip.Header{
		sip.NewHeader("Refer-To", "<"+uri+">"),
		sip.NewHeader("Referred-By", "<"+by.String()+">"),
		c.d.contact(c.t),
	})
	if err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	if !res.IsSuccess() {
		return fmt.Errorf("transfer: REFER answered %d %s", res.StatusCode, res.Reason)
	}
	return nil
}

// TransferProgress returns the status codes of the NOTIFY sipfrags received
// for transfers (RFC 3515 §2.4.5), e.g. 100 then 200.
func (c *Call) TransferProgress() <-chan int { return c.referred }
