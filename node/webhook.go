package node

import (
	"context"
	"fmt"

	"outreach/followup"
)

// newNotifier builds the webhook notifier when a webhook is configured; it
// drains the alert outbox kept in the store.
func (n *Node) newNotifier() (*followup.Notifier, error) {
	if n.cfg.Webhook.URL == "" {
		return nil, nil
	}
	wh, err := followup.NewWebhook(followup.WebhookConfig{URL: n.cfg.Webhook.URL, Secret: []byte(n.cfg.Webhook.Secret),
		Directory: n.store.Followup(), Plaintext: n.cfg.Webhook.Plaintext, Now: n.now})
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	nt, err := followup.NewNotifier(followup.NotifierConfig{Outbox: n.store.Followup(), Sender: wh, Now: n.now, Logger: n.log})
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	return nt, nil
}

// startNotifier pushes alerts to the webhook (scheduler role).
func (n *Node) startNotifier(ctx context.Context) error {
	if n.notifier == nil {
		return nil
	}
	n.notifier.Start(ctx)
	n.own(stopFunc(n.notifier.Stop))
	return nil
}
