package queue

import (
	"embed"
	"strings"

	"github.com/redis/go-redis/v9"
)

//go:embed lua/*.lua lua/lib/*.lua
var luaFS embed.FS

// scripts holds the Lua scripts, run with EVALSHA (EVAL on NOSCRIPT).
// Their KEYS/ARGV contracts are at the top of each file and in KEYS.md.
type scripts struct {
	claim, finish, renew, recover, register, enqueue, activate, remove, restore, leader, resign *redis.Script
}

func loadScripts() scripts {
	read := func(path string) string {
		b, err := luaFS.ReadFile(path)
		if err != nil {
			panic("queue: embedded script missing: " + path) // a build defect, caught by every test
		}
		return string(b)
	}
	// A script that calls a function of lua/lib/busy.lua (countBusy,
	// recountBusy: both names end in "countBusy(") gets its definitions first.
	busy := read("lua/lib/busy.lua")
	load := func(name string) *redis.Script {
		src := read("lua/" + name + ".lua")
		if strings.Contains(src, "countBusy(") {
			src = busy + src
		}
		return redis.NewScript(src)
	}
	return scripts{
		claim: load("claim"), finish: load("finish"), renew: load("renew"), recover: load("recover"),
		register: load("register"), enqueue: load("enqueue"), activate: load("activate"),
		remove: load("remove"), restore: load("restore"), leader: load("leader"), resign: load("resign"),
	}
}
