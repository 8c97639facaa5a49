// Package e2e starts the third-party peers of the end-to-end tests —
// Kamailio as an authenticating trunk, sipp as gateway or resident, baresip as
// a real softphone — on free loopback ports, and stops them when the test
// ends. A missing binary fails the test with the command that installs it;
// nothing is skipped.
//
// The tests: loopback_test.go (the dialer against sim, every persona, over
// UDP and TCP: the outcome table and sim's call log), sipp_test.go (through
// Kamailio with 407 and 401 digest auth, and direct, to sipp UAS scenarios
// in testdata/sipp), baresip_test.go (a real softphone presses keys and
// records the robot's test tone), torture_test.go (RFC 4475 messages from a
// stranger and from the trunk, UDP and TCP). TestMain raises -parallel to 8
// unless given: the tests wait on peers and timers, not on the CPU.
package e2e
