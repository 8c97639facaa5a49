// Package seal encrypts personal fields at rest with AES-256-GCM under a key
// ring (key id → 32-byte key: the newest encrypts, every key decrypts) and
// computes the keyed HMAC-SHA256 index used to look values up without
// decrypting them.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// KeySize is the size of every AES-256 key and of the index key.
const KeySize = 32

// version is the first byte of every sealed value.
const version = 1

// Errors returned (wrapped) by Open.
var (
	ErrUnknownKey = errors.New("unknown key id")
	ErrCorrupt    = errors.New("sealed value corrupt")
)

// Key is one key of the ring.
type Key struct {
	ID  string // short, stable name, at most 255 bytes (e.g. "2026-11")
	Key []byte // 32 bytes
}

// Ring seals with its current key and opens with any of its keys. It is safe
// for concurrent use.
type Ring struct {
	current string
	aeads   map[string]cipher.AEAD
	index   []byte
	macs    sync.Pool
}

// NewRing builds a ring. keys are ordered oldest first: the last one seals.
// indexKey keys the HMAC-SHA256 look-up index; it cannot rotate without
// rebuilding every index column.
func NewRing(keys []Key, indexKey []byte) (*Ring, error) {
	if len(keys) == 0 {
		return nil, errors.New("seal: no keys")
	}
	if len(indexKey) != KeySize {
		return nil, fmt.Errorf("seal: index key: %d bytes, want %d", len(indexKey), KeySize)
	}
	r := &Ring{aeads: make(map[string]cipher.AEAD, len(keys)), index: append([]byte(nil), indexKey...)}
	for _, k := range keys {
		if k.ID == "" || len(k.ID) > 255 {
			return nil, fmt.Errorf("seal: key id %q: empty or longer than 255 bytes", k.ID)
		}
		if len(k.Key) != KeySize {
			return nil, fmt.Errorf("seal: key %q: %d bytes, want %d", k.ID, len(k.Key), KeySize)
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("seal: key %q: duplicate id", k.ID)
		}
		block, err := aes.NewCipher(k.Key)
		if err != nil {
			return nil, fmt.Errorf("seal: key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("seal: key %q: %w", k.ID, err)
		}
		r.aeads[k.ID] = aead
		r.current = k.ID
	}
	r.macs.New = func() any { return hmac.New(sha256.New, r.index) }
	return r, nil
}

// Current returns the id of the sealing key.
func (r *Ring) Current() string { return r.current }

// Seal encrypts plain under the current key; an empty plain gives nil (stored
// as NULL). The output is version | len(id) | id | nonce | ciphertext+tag.
func (r *Ring) Seal(plain []byte) []byte {
	if len(plain) == 0 {
		return nil
	}
	aead := r.aeads[r.current]
	id := r.current
	out := make([]byte, 2+len(id), 2+len(id)+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0], out[1] = version, byte(len(id))
	copy(out[2:], id)
	nonce := out[len(out) : len(out)+aead.NonceSize()]
	if _, err := rand.Read(nonce); err != nil {
		panic("seal: crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	out = out[:len(out)+aead.NonceSize()]
	return aead.Seal(out, nonce, plain, out[:2+len(id)])
}

// SealString is Seal for strings.
func (r *Ring) SealString(s string) []byte { return r.Seal([]byte(s)) }

// Open decrypts a value made by Seal with any key of the ring; nil gives nil.
func (r *Ring) Open(sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, nil
	}
	id, body, err := split(sealed)
	if err != nil {
		return nil, err
	}
	aead, ok := r.aeads[id]
	if !ok {
		return nil, fmt.Errorf("seal: open: key %q: %w", id, ErrUnknownKey)
	}
	if len(body) < aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("seal: open: %w", ErrCorrupt)
	}
	ns := aead.NonceSize()
	plain, err := aead.Open(nil, body[:ns], body[ns:], sealed[:2+len(id)])
	if err != nil {
		return nil, fmt.Errorf("seal: open: %w", ErrCorrupt)
	}
	return plain, nil
}

// OpenString is Open for strings.
func (r *Ring) OpenString(sealed []byte) (string, error) {
	b, err := r.Open(sealed)
	return string(b), err
}

// KeyID returns the id of the key that sealed a value.
func KeyID(sealed []byte) (string, error) {
	id, _, err := split(sealed)
	return id, err
}

// NeedsRekey reports whether a value is sealed under a key other than the current one.
func (r *Ring) NeedsRekey(sealed []byte) bool {
	if len(sealed) == 0 {
		return false
	}
	id, _, err := split(sealed)
	return err == nil && id != r.current
}

func split(sealed []byte) (id string, body []byte, err error) {
	if len(sealed) < 2 || sealed[0] != version || len(sealed) < 2+int(sealed[1]) {
		return "", nil, fmt.Errorf("seal: %w", ErrCorrupt)
	}
	n := int(sealed[1])
	return string(sealed[2 : 2+n]), sealed[2+n:], nil
}

// Index returns HMAC-SHA256(indexKey, value): the deterministic look-up key
// of a normalised value (an E.164 phone number, an ID number).
func (r *Ring) Index(value string) []byte {
	m := r.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(value))
	sum := m.Sum(make([]byte, 0, sha256.Size))
	r.macs.Put(m)
	return sum
}
