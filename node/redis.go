package node

import (
	"context"
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"outreach/campaigns/queue"
)

// openRedis connects to the configured Redis, or starts an in-process
// Redis-protocol server when none is configured (zero-setup mode). A robot
// refuses a Redis whose maxmemory policy could evict queue keys.
func openRedis(ctx context.Context, url string, robot bool) (*redis.Client, func(), error) {
	if url == "" {
		m := miniredis.NewMiniRedis()
		if err := m.StartAddr("127.0.0.1:0"); err != nil {
			return nil, nil, fmt.Errorf("embedded redis: %w", err)
		}
		rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
		return rdb, func() { rdb.Close(); m.Close() }, nil
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("redis url: %w", err)
	}
	rdb := redis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, nil, fmt.Errorf("redis %s: %w", opt.Addr, err)
	}
	if robot {
		if err := queue.CheckEviction(ctx, rdb); err != nil {
			rdb.Close()
			return nil, nil, err
		}
	}
	return rdb, func() { rdb.Close() }, nil
}
