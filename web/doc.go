// Package web is the staff console and the REST API: JSON endpoints with an
// OpenAPI 3 document generated from the route table, sessions for people and
// hashed bearer tokens for programs, roles scoped to an organisation subtree,
// Idempotency-Key replay, audit rows, Prometheus metrics, health probes, and
// server-rendered pages (Chinese first, English available) with embedded
// assets and live campaign progress over server-sent events.
//
// web owns the small interfaces it needs (Directory, Residents, Campaigns,
// Alerts, Calls, Exports, Auditor, Runner, Scripts, Trunks); storeadapter.go
// maps them onto package storage.
package web
