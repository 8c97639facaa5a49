// Package node assembles one Outreach process from its configuration: the
// store (PostgreSQL or embedded SQLite), the dispatch queue (Redis or an
// in-process Redis-protocol server), and the roles it runs — api (HTTP:
// REST, console, metrics, health), scheduler (elected; cron occurrences
// become runs, the reconciler rebuilds Redis from the database) and robot
// (dialer, robot workers, follow-ups, webhook). `outreach serve` and
// `outreach demo` are thin wrappers around it.
package node
