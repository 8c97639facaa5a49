package node

import (
	"fmt"
	"strings"
)

// Roles says which parts a process runs; any set may share one process.
type Roles struct {
	API, Scheduler, Robot bool
}

// All is every role in one process (the default).
func All() Roles { return Roles{API: true, Scheduler: true, Robot: true} }

// ParseRoles reads "api,scheduler,robot" (any subset; "all" for every one).
func ParseRoles(s string) (Roles, error) {
	var r Roles
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(p) {
		case "api":
			r.API = true
		case "scheduler":
			r.Scheduler = true
		case "robot":
			r.Robot = true
		case "all":
			r = All()
		case "":
		default:
			return Roles{}, fmt.Errorf("role %q: want api, scheduler, robot or all", p)
		}
	}
	if r == (Roles{}) {
		return Roles{}, fmt.Errorf("no role given")
	}
	return r, nil
}

func (r Roles) String() string {
	var out []string
	if r.API {
		out = append(out, "api")
	}
	if r.Scheduler {
		out = append(out, "scheduler")
	}
	if r.Robot {
		out = append(out, "robot")
	}
	return strings.Join(out, ",")
}
