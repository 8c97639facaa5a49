package seal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ParseKeyFile reads a key file: one "index BASE64" line (the HMAC index
// key) and "key ID BASE64" lines, oldest first (the last one seals). Blank
// lines and lines starting with # are ignored.
func ParseKeyFile(data []byte) (*Ring, error) {
	var (
		keys  []Key
		index []byte
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case f[0] == "index" && len(f) == 2:
			b, err := base64.StdEncoding.DecodeString(f[1])
			if err != nil {
				return nil, fmt.Errorf("key file line %d: index: %w", n, err)
			}
			index = b
		case f[0] == "key" && len(f) == 3:
			b, err := base64.StdEncoding.DecodeString(f[2])
			if err != nil {
				return nil, fmt.Errorf("key file line %d: key %s: %w", n, f[1], err)
			}
			keys = append(keys, Key{ID: f[1], Key: b})
		default:
			return nil, fmt.Errorf("key file line %d: want \"index BASE64\" or \"key ID BASE64\"", n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return NewRing(keys, index)
}

// NewKeyFile returns the text of a fresh key file with one key named after
// now (e.g. "k20261128").
func NewKeyFile(now time.Time) ([]byte, error) {
	idx, key := make([]byte, KeySize), make([]byte, KeySize)
	if _, err := rand.Read(idx); err != nil {
		return nil, err
	}
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "# outreach encryption keys: keep secret, back up, never commit.\n"+
		"# Rotation: append a new \"key ID BASE64\" line, run the rekey job, then delete the old line.\n"+
		"index %s\nkey k%s %s\n", base64.StdEncoding.EncodeToString(idx), now.UTC().Format("20060102"),
		base64.StdEncoding.EncodeToString(key)), nil
}

// LoadOrCreate reads the key file at path, creating it (mode 0600) with
// fresh keys when it does not exist: the zero-setup default.
func LoadOrCreate(path string, now time.Time) (*Ring, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if data, err = NewKeyFile(now); err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	return ParseKeyFile(data)
}
