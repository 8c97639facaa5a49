// Package robot places one call end to end: it dials through the dialer,
// speaks an ivr script's prompts (recorded audio or TTS from prompts), takes
// the resident's answers by keypad (and speech, through asr), and returns
// the call's outcome, timings and the script's result.
//
// It is the only package that joins SIP/RTP to the script engine: ivr knows
// nothing of calls, dialer nothing of scripts. Session adapts a live call to
// ivr.Session.
package robot
