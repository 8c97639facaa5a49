package prompts

import (
	"container/list"
	"sync"
)

// pcmLRU is a small least-recently-used cache of decoded audio, bounded by
// the total number of samples it holds. It is safe for concurrent use. The
// slices it returns are shared: callers must not modify them.
type pcmLRU struct {
	mu      sync.Mutex
	max     int // samples
	size    int
	ll      *list.List
	entries map[string]*list.Element
}

type lruEntry struct {
	key   string
	stamp string // validity stamp (file size and time), "" when unused
	pcm   []int16
}

func newPCMLRU(maxSamples int) *pcmLRU {
	return &pcmLRU{max: maxSamples, ll: list.New(), entries: make(map[string]*list.Element)}
}

// get returns the entry of key if its stamp matches.
func (c *pcmLRU) get(key, stamp string) ([]int16, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*lruEntry)
	if e.stamp != stamp {
		c.removeElement(el)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.pcm, true
}

// put stores pcm under key; entries larger than half the budget are not kept.
func (c *pcmLRU) put(key, stamp string, pcm []int16) {
	if c.max <= 0 || len(pcm) > c.max/2 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.removeElement(el)
	}
	c.entries[key] = c.ll.PushFront(&lruEntry{key: key, stamp: stamp, pcm: pcm})
	c.size += len(pcm)
	for c.size > c.max {
		c.removeElement(c.ll.Back())
	}
}

func (c *pcmLRU) removeElement(el *list.Element) {
	e := c.ll.Remove(el).(*lruEntry)
	delete(c.entries, e.key)
	c.size -= len(e.pcm)
}

// len returns the number of entries.
func (c *pcmLRU) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
