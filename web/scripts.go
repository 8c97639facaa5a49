package web

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"
)

// ScriptVersion describes one stored version of a script.
type ScriptVersion struct {
	ID        string    `json:"id"`
	Version   int       `json:"version"`
	Digest    string    `json:"digest"`
	Nodes     int       `json:"nodes"`
	Questions int       `json:"questions"`
	Uploaded  time.Time `json:"uploaded"`
	By        string    `json:"by"`
}

// Scripts keeps every uploaded version of every script.
type Scripts interface {
	Put(ctx context.Context, v ScriptVersion, src []byte) (ScriptVersion, error) // assigns the next version
	List(ctx context.Context) ([]ScriptVersion, error)                           // latest of each, by id
	Versions(ctx context.Context, id string) ([]ScriptVersion, error)            // oldest first
	Get(ctx context.Context, id string, version int) ([]byte, ScriptVersion, error)
	Latest(ctx context.Context, id string) (ScriptVersion, error)
}

var scriptIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

var errBadID = errors.New("bad id")

var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// sampleText fills a prompt's template fields with sample values so staff
// can listen to it.
func sampleText(say, org string) string {
	return placeholder.ReplaceAllStringFunc(say, func(m string) string {
		switch {
		case strings.Contains(m, ".Org"):
			return org
		case strings.Contains(m, "Name"):
			return "张*华"
		}
		return ""
	})
}

func errorsIsBadID(err error) bool { return errors.Is(err, errBadID) }
