package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"outreach/campaigns"
	"outreach/node"
	"outreach/storage"
)

// watch prints a progress line every half second until every task has had
// its first attempt and nothing is due now (retries due later are left to
// the next run of a real campaign).
func watch(ctx context.Context, n *node.Node, c campaigns.Campaign, w io.Writer, tty bool, start time.Time) error {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	last, lastAt := "", time.Time{}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		p, err := n.Store().CampaignProgress(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("demo: progress: %w", err)
		}
		due, err := n.Queue().DueNow(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("demo: progress: %w", err)
		}
		line := progressLine(p, time.Since(start))
		counts := line[:strings.Index(line, "预计")]
		switch {
		case tty:
			fmt.Fprint(w, "\r"+line)
		case counts != last || time.Since(lastAt) > 10*time.Second:
			fmt.Fprintln(w, line)
			last, lastAt = counts, time.Now()
		}
		if p.Tasks > 0 && p.Dialing == 0 && due == 0 && p.Attempts >= p.Tasks {
			if tty {
				fmt.Fprintln(w)
			}
			return nil
		}
	}
}

func progressLine(p storage.Progress, elapsed time.Duration) string {
	const width = 30
	// Tasks whose first attempt has ended (approx.: calls in progress are not done).
	first := min(max(p.Attempts-p.Dialing, 0), p.Tasks)
	frac := 0.0
	if p.Tasks > 0 {
		frac = float64(first) / float64(p.Tasks)
	}
	bar := strings.Repeat("█", int(frac*width)) + strings.Repeat("░", width-int(frac*width))
	eta := "--"
	if frac > 0.05 && frac < 1 {
		eta = (time.Duration(float64(elapsed)/frac) - elapsed).Round(time.Second).String()
	}
	return fmt.Sprintf("%s %3.0f%%  已拨 placed %d  接通 answered %d  完成 completed %d  通话中 live %d  预计剩余 ETA %s ",
		bar, frac*100, p.Attempts, p.Answered, p.Done, p.Dialing, eta)
}
