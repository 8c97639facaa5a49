package queue

import (
	"embed"

	"github.com/redis/go-redis/v9"
)

//go:embed lua/*.lua
var luaFS embed.FS

// scripts holds the Lua scripts, run with EVALSHA (EVAL on NOSCRIPT).
// Their KEYS/ARGV contracts are at the top of each file and in KEYS.md.
type scripts struct {
	claim, finish, renew, recover, register, enqueue, activate, remove, restore, leader, resign *redis.Script
}

func loadScripts() scripts {
	load := func(name string) *redis.Script {
		b, err := luaFS.ReadFile("lua/" + name + ".lua")
		if err != nil {
			panic("queue: embedded script missing: " + name) // a build defect, caught by every test
		}
		return redis.NewScript(string(b))
	}
	return scripts{
		claim: load("claim"), finish: load("finish"), renew: load("renew"), recover: load("recover"),
		register: load("register"), enqueue: load("enqueue"), activate: load("activate"),
		remove: load("remove"), restore: load("restore"), leader: load("leader"), resign: load("resign"),
	}
}
