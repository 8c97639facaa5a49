package dialer

import (
	"context"
	"fmt"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// authorize adds credentials for the challenge in res to req (RFC 3261
// §22.2 for 401/WWW-Authenticate, §22.3 for 407/Proxy-Authenticate).
func authorize(t *trunk, req *sip.Request, res *sip.Response) error {
	if t.Password == "" && t.Username == "" {
		return fmt.Errorf("challenged but trunk %s has no credentials", t.Name)
	}
	chName, authName := "WWW-Authenticate", "Authorization"
	if res.StatusCode == 407 {
		chName, authName = "Proxy-Authenticate", "Proxy-Authorization"
	}
	h := res.GetHeader(chName)
	if h == nil {
		return fmt.Errorf("%d without %s", res.StatusCode, chName)
	}
	chal, err := digest.ParseChallenge(h.Value())
	if err != nil {
		return fmt.Errorf("parse %s: %w", chName, err)
	}
	if t.Realm != "" && chal.Realm != t.Realm {
		return fmt.Errorf("challenge realm %q is not the trunk's realm", chal.Realm)
	}
	cred, err := digest.Digest(chal, digest.Options{
		Method:   string(req.Method),
		URI:      req.Recipient.Addr(),
		Username: t.Username,
		Password: t.Password,
	})
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	req.RemoveHeader(authName)
	req.AppendHeader(sip.NewHeader(authName, cred.String()))
	return nil
}

// retryWithAuth resends the INVITE once with credentials: same Call-ID and
// From tag, CSeq incremented, a new Via branch (RFC 3261 §22.2, §8.1.3.5).
// A second challenge ends the attempt as trunk_error.
func (a *attempt) retryWithAuth(ctx context.Context, res *sip.Response) error {
	inv := a.invite.Clone()
	if err := authorize(a.t, inv, res); err != nil {
		return err
	}
	inv.CSeq().SeqNo++
	inv.RemoveHeader("Via")
	inv.PrependHeader(a.d.via(a.t))
	a.invite = inv
	return a.send(ctx)
}
