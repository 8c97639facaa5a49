package storage

import (
	"strconv"
	"strings"
)

// unitList is a SQL list of organisation unit ids for a filter condition:
// nil means no filter, a non-nil empty list matches nothing. Its ids are
// appended to a statement's arguments as $next, $next+1, ... so that one
// list serves several IN clauses of the same statement.
type unitList struct {
	in   string // "($6,$7)"; "" = no filter
	args []any
}

// newUnitList numbers units' placeholders from $next.
func newUnitList(units []int64, next int) unitList {
	if units == nil {
		return unitList{}
	}
	if len(units) == 0 {
		return unitList{in: "(NULL)"} // IN (NULL) is never true
	}
	ph := make([]string, len(units))
	args := make([]any, len(units))
	for i, id := range units {
		ph[i] = "$" + strconv.Itoa(next+i)
		args[i] = id
	}
	return unitList{in: "(" + strings.Join(ph, ",") + ")", args: args}
}

// member returns a condition that holds when any of the columns (a
// resident's community_id, grid_id, ...) is in the list; "1 = 1" without
// a filter.
func (u unitList) member(cols ...string) string {
	if u.in == "" {
		return "1 = 1"
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " IN " + u.in
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// residentIn returns a condition on a resident id column: the resident
// lives in one of the units (by community or grid).
func (u unitList) residentIn(col string) string {
	if u.in == "" {
		return "1 = 1"
	}
	return col + " IN (SELECT id FROM residents WHERE " + u.member("community_id", "grid_id") + ")"
}
