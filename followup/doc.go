// Package followup turns call results into follow-up work: each resident's
// daily health record, alerts for grid workers (from the script's rules and
// from residents who could not be reached), their life cycle, the signed
// webhook that pushes alert events out, observation periods and the day's
// summary per community.
//
// It is pure logic plus the webhook sender: it knows nothing of SQL, Redis
// or SIP. It owns small store interfaces (RecordStore, AlertStore, Outbox,
// ObservationStore, Directory) that the storage package implements; MemStore
// is an in-memory implementation for tests and the demo. Time is injected
// everywhere; "the day" of a call is its calendar date in the configured zone
// (Asia/Shanghai by default).
package followup
