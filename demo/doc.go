// Package demo runs the whole product on one machine with nothing but Go:
// the embedded store, an in-process Redis-protocol server, simulated
// residents (sim) behind a simulated trunk, and the Chinese (or English)
// daily health check. It generates a roster, runs one campaign, shows live
// progress, and ends with a summary and the day's report as XLSX.
package demo
