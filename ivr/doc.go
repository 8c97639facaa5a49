// Package ivr is the questionnaire language of the outreach robot and the
// state machine that runs it.
//
// A script is a versioned YAML document (see Load) whose nodes say things,
// ask questions answered by keypad (DTMF) or speech, branch on the answers,
// transfer the call to staff or hang up with closing words. Check validates a
// script and reports each mistake as FILE:LINE:COLUMN: message so a street
// office can fix its own questionnaire. An Engine runs a script over a
// Session (play, collect, transfer, hang up) that the robot implements; time
// is injected, so the transcript it produces is deterministic.
//
// The package is pure logic: it knows nothing of SIP, RTP, Redis or SQL.
package ivr
