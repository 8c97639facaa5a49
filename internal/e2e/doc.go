// Package e2e starts the third-party peers of the end-to-end tests —
// Kamailio as an authenticating trunk, sipp as gateway or resident, baresip as
// a real softphone — on free loopback ports, and stops them when the test
// ends. A missing binary fails the test with the command that installs it;
// nothing is skipped.
package e2e
