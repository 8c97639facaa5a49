package prompts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"outreach/media"
)

// DefaultMemorySamples is the in-memory budget of a Cache: about 80 minutes of
// 8 kHz audio (76 MB), enough for every static prompt of many campaigns.
const DefaultMemorySamples = 40 * 60 * media.SampleRate

// Cache keeps rendered prompts on disk as 8 kHz WAV files named by the
// SHA-256 of (engine, language, voice, rate, volume, normalised text), with
// the most recent ones also decoded in memory. Writes are atomic (temporary
// file, then rename), so several processes may share one directory; within a
// process concurrent requests for one key synthesise once.
type Cache struct {
	dir    string
	mem    *pcmLRU
	logger *slog.Logger

	mu      sync.Mutex
	flights map[string]*flight
}

type flight struct {
	done chan struct{}
	pcm  []int16
	err  error
}

// NewCache opens (creating) a cache directory. memSamples bounds the decoded
// audio kept in memory (0 = DefaultMemorySamples, negative = none).
func NewCache(dir string, memSamples int, logger *slog.Logger) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("prompt cache: empty directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("prompt cache: %w", err)
	}
	if memSamples == 0 {
		memSamples = DefaultMemorySamples
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Cache{dir: dir, mem: newPCMLRU(memSamples), logger: logger, flights: make(map[string]*flight)}, nil
}

// Dir returns the cache directory.
func (c *Cache) Dir() string { return c.dir }

// CacheKey returns the hex SHA-256 naming the audio of req spoken by engine.
// The text is normalised first, so "36.5度" and "三十六点五度" share a key.
func CacheKey(engine string, req Request) string {
	h := sha256.New()
	for _, f := range []string{"prompts/v1", engine, string(req.lang()), req.Voice,
		strconv.Itoa(req.Rate), strconv.FormatFloat(req.volume(), 'g', -1, 64),
		Normalize(req.lang(), req.Text)} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Path returns the file of key.
func (c *Cache) Path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".wav")
}

// Get returns the audio of key if cached (in memory or on disk). A file that
// does not decode counts as a miss.
func (c *Cache) Get(key string) ([]int16, bool) {
	if pcm, ok := c.mem.get(key, ""); ok {
		return pcm, true
	}
	pcm, err := media.ReadWAVFile(c.Path(key))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.logger.Warn("prompt cache: unreadable entry, rendering again", "key", key, "err", err)
		}
		return nil, false
	}
	c.mem.put(key, "", pcm)
	return pcm, true
}

// Put stores pcm under key atomically.
func (c *Cache) Put(key string, pcm []int16) error {
	path := c.Path(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("prompt cache: %w", err)
	}
	if err := writeWAVAtomic(path, pcm); err != nil {
		return fmt.Errorf("prompt cache: %w", err)
	}
	c.mem.put(key, "", pcm)
	return nil
}

// Do returns the audio of key from the cache, or calls synth once for all
// concurrent callers of the same key, stores its result and returns it. A
// caller whose ctx ends stops waiting; if the caller that ran synth was
// cancelled, a waiter whose own ctx is alive runs synth itself.
func (c *Cache) Do(ctx context.Context, key string, synth func(context.Context) ([]int16, error)) ([]int16, error) {
	for {
		if pcm, ok := c.Get(key); ok {
			return pcm, nil
		}
		c.mu.Lock()
		if f, ok := c.flights[key]; ok {
			c.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if f.err != nil && isContextErr(f.err) && ctx.Err() == nil {
				continue // the leader gave up; try again ourselves
			}
			return f.pcm, f.err
		}
		f := &flight{done: make(chan struct{})}
		c.flights[key] = f
		c.mu.Unlock()
		f.pcm, f.err = c.lead(ctx, key, synth)
		c.mu.Lock()
		delete(c.flights, key)
		c.mu.Unlock()
		close(f.done)
		return f.pcm, f.err
	}
}

// lead synthesises and stores; a failed store is logged, not fatal: the
// audio is still good for this call.
func (c *Cache) lead(ctx context.Context, key string, synth func(context.Context) ([]int16, error)) ([]int16, error) {
	if pcm, ok := c.Get(key); ok { // another process may have finished meanwhile
		return pcm, nil
	}
	pcm, err := synth(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.Put(key, pcm); err != nil {
		c.logger.Warn("prompt cache: store failed", "key", key, "err", err)
		c.mem.put(key, "", pcm)
	}
	return pcm, nil
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// writeWAVAtomic writes an 8 kHz WAV to a temporary file in the target's
// directory and renames it into place, so readers never see a partial file.
func writeWAVAtomic(path string, pcm []int16) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*.wav")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = media.WriteWAV(f, pcm, media.SampleRate)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}
