package storage

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
	"outreach/campaigns/queue"
)

// QueueSnapshot returns the source the dispatch queue's reconciler rebuilds
// Redis from. Live attempts get leases expiring lease after the snapshot:
// their workers renew them if alive, the recoverer interrupts them if not.
func (s *Store) QueueSnapshot(lease time.Duration) queue.SnapshotSource {
	return snapshotSource{s: s, lease: lease}
}

type snapshotSource struct {
	s     *Store
	lease time.Duration
}

// snapshotPage is the number of queued tasks read per query.
const snapshotPage = 5000

// Snapshot reads the campaigns that may have due tasks, their queued tasks
// and the dialing attempts.
func (src snapshotSource) Snapshot(ctx context.Context) (queue.Snapshot, error) {
	s := src.s
	snap := queue.Snapshot{Due: map[int64][]campaigns.DueTask{}}
	camps, err := s.listCampaigns(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE state IN ($1, $2, $3) ORDER BY id`,
		int(campaigns.StateScheduled), int(campaigns.StateRunning), int(campaigns.StatePaused))
	if err != nil {
		return snap, fmt.Errorf("snapshot: %w", err)
	}
	trunks := map[int64]string{}
	for _, c := range camps {
		snap.Campaigns = append(snap.Campaigns, queue.SpecOf(c))
		trunks[c.ID] = c.Trunk
		for after := int64(0); ; {
			due, err := s.DueTasks(ctx, c.ID, after, snapshotPage)
			if err != nil {
				return snap, fmt.Errorf("snapshot: %w", err)
			}
			snap.Due[c.ID] = append(snap.Due[c.ID], due...)
			if len(due) < snapshotPage {
				break
			}
			after = due[len(due)-1].TaskID
		}
	}
	rs, err := s.b.Query(ctx, `SELECT a.task_id, a.campaign_id, a.token, a.worker FROM attempts a
		JOIN tasks t ON t.id = a.task_id WHERE a.state = $1 AND t.state = $2 AND t.token = a.token ORDER BY a.id`,
		int(AttemptDialing), int(campaigns.TaskDialing))
	if err != nil {
		return snap, fmt.Errorf("snapshot: live: %w", err)
	}
	defer rs.Close()
	expires := s.now().Add(src.lease)
	for rs.Next() {
		var l queue.Live
		if err := rs.Scan(&l.TaskID, &l.CampaignID, &l.Token, &l.Worker); err != nil {
			return snap, fmt.Errorf("snapshot: live: %w", err)
		}
		l.Trunk, l.Expires = trunks[l.CampaignID], expires
		snap.Live = append(snap.Live, l)
	}
	return snap, rs.Err()
}
