package dialer

import (
	"net"
	"sync"
	"time"
)

// txTable holds the dialer's UDP client transactions by key; INVITEs that
// ended with a non-2xx stay until their expiry to ACK retransmissions. All
// expire 64·T1 after their end, so the expiry queue is in order: a sweep
// pops what is due and never scans the rest.
type txTable struct {
	mu    sync.Mutex
	live  map[string]*udpTx
	queue []expiry // from head on, in order of time
	head  int
}

type expiry struct {
	tx *udpTx
	at time.Time
}

func newTxTable() *txTable {
	return &txTable{live: make(map[string]*udpTx)}
}

func (t *txTable) add(tx *udpTx) {
	t.mu.Lock()
	t.live[tx.key] = tx
	t.mu.Unlock()
}

func (t *txTable) get(key string) *udpTx {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.live[key]
}

func (t *txTable) remove(key string) {
	t.mu.Lock()
	delete(t.live, key)
	t.mu.Unlock()
}

// expire schedules tx's removal at at, which is never before the times
// already queued.
func (t *txTable) expire(tx *udpTx, at time.Time) {
	t.mu.Lock()
	t.queue = append(t.queue, expiry{tx, at})
	t.mu.Unlock()
}

// closeAll ends every live transaction (the dialer stops).
func (t *txTable) closeAll() {
	t.mu.Lock()
	txs := make([]*udpTx, 0, len(t.live))
	for _, tx := range t.live {
		txs = append(txs, tx)
	}
	t.mu.Unlock()
	for _, tx := range txs {
		tx.end(net.ErrClosed)
	}
}

// sweep drops the finished transactions whose time is up.
func (t *txTable) sweep(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.head < len(t.queue) && !now.Before(t.queue[t.head].at) {
		e := t.queue[t.head]
		if t.live[e.tx.key] == e.tx {
			delete(t.live, e.tx.key)
		}
		t.queue[t.head] = expiry{}
		t.head++
	}
	if t.head > len(t.queue)/2 { // reuse the front half
		n := copy(t.queue, t.queue[t.head:])
		clear(t.queue[n:])
		t.queue, t.head = t.queue[:n], 0
	}
}
