package campaigns

import (
	"errors"
	"fmt"
)

// TargetKind says how a campaign's residents are chosen.
type TargetKind uint8

// Target kinds.
const (
	TargetList        TargetKind = iota // an imported list
	TargetCommunity                     // residents of a community
	TargetGrid                          // residents of a grid
	TargetTag                           // residents carrying a tag
	TargetObservation                   // everyone under observation on the run's day
)

var targetNames = [...]string{"list", "community", "grid", "tag", "observation"}

// String returns the kind's lower-case name.
func (k TargetKind) String() string {
	if int(k) < len(targetNames) {
		return targetNames[k]
	}
	return fmt.Sprintf("target(%d)", uint8(k))
}

// ParseTargetKind is the inverse of String.
func ParseTargetKind(s string) (TargetKind, error) {
	for i, n := range targetNames {
		if n == s {
			return TargetKind(i), nil
		}
	}
	return 0, fmt.Errorf("parse target kind %q: unknown", s)
}

// Target selects residents. Ref is the list id, community, grid or tag; it is
// empty for TargetObservation. Storage resolves a target on a given day.
type Target struct {
	Kind TargetKind
	Ref  string
}

// Validate checks that the target names what it needs.
func (t Target) Validate() error {
	switch t.Kind {
	case TargetList, TargetCommunity, TargetGrid, TargetTag:
		if t.Ref == "" {
			return fmt.Errorf("target %s: ref: %w", t.Kind, errors.New("empty"))
		}
	case TargetObservation:
		if t.Ref != "" {
			return fmt.Errorf("target observation: ref must be empty")
		}
	default:
		return fmt.Errorf("target: unknown kind %d", t.Kind)
	}
	return nil
}
