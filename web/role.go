package web

import (
	"context"
	"fmt"
	"slices"
)

// Role is what a person or program may do in the console and the API.
type Role uint8

// Roles: community staff see their community, street staff their street,
// admins everything.
const (
	RoleCommunity Role = iota + 1
	RoleStreet
	RoleAdmin
)

var roleNames = [...]string{"", "community", "street", "admin"}

// String returns the role's name.
func (r Role) String() string {
	if int(r) < len(roleNames) && r > 0 {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// ParseRole is the inverse of String.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s && i > 0 {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("parse role %q: want community, street or admin", s)
}

// Scope is the organisation subtree a principal may see. Every store call
// that reads or writes rows of residents takes one.
type Scope struct {
	All   bool
	Units map[int64]bool
	Root  int64 // the unit whose subtree Units is (0 = unknown)
}

// AllScope sees everything.
func AllScope() Scope { return Scope{All: true} }

// UnitScope sees the given units.
func UnitScope(ids ...int64) Scope {
	s := Scope{Units: map[int64]bool{}}
	for _, id := range ids {
		s.Units[id] = true
	}
	return s
}

// IDs returns the scope's units for a storage filter: nil (no filter) for
// everything, else the ids in ascending order (empty: nothing).
func (s Scope) IDs() []int64 {
	if s.All {
		return nil
	}
	ids := make([]int64, 0, len(s.Units))
	for id, ok := range s.Units {
		if ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Has reports whether unit id (0 = none) is in the scope; rows with no unit
// belong to admins only.
func (s Scope) Has(id int64) bool { return s.All || (id != 0 && s.Units[id]) }

// Principal is who makes a request.
type Principal struct {
	UserID    int64
	Username  string
	Name      string
	Role      Role
	OrgUnitID int64
	Scope     Scope
	CanUnmask bool   // may see full phone numbers (audited)
	Via       string // "session" or "token"
}

// perm is what a route requires.
type perm uint8

const (
	permPublic  perm = iota // no authentication
	permRead                // any signed-in role
	permWrite               // community staff and above, within scope
	permOperate             // street staff and admins: campaigns, imports, scripts, exports
	permAdmin               // admins only: users, tokens, org tree
)

var permNames = [...]string{"public", "read", "write", "operate", "admin"}

func (p perm) String() string { return permNames[p] }

// allows reports whether role r holds permission p.
func (p perm) allows(r Role) bool {
	switch p {
	case permPublic, permRead, permWrite:
		return r >= RoleCommunity
	case permOperate:
		return r >= RoleStreet
	case permAdmin:
		return r == RoleAdmin
	}
	return false
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the request's principal, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
