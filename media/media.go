// Package media holds the audio primitives of the robot: 8 kHz mono 16-bit PCM
// frames, the G.711 codecs (ITU-T G.711 A-law and µ-law, RFC 3551 §4.5.14
// payload types PCMA/PCMU), WAV file reading and writing, sample-rate
// conversion, tone generation, in-band DTMF detection (Goertzel, ITU-T Q.24
// style checks) and a simple energy voice-activity detector.
//
// Everything in this package is a leaf: it imports nothing of the project.
// The hot paths used per 20 ms RTP frame (Codec.Encode, Codec.Decode,
// DTMFDetector.Process, VAD.Process) never allocate.
package media

import "time"

// SampleRate is the sample rate of every PCM buffer in the robot (G.711, RFC 3551 §4.5.14).
const SampleRate = 8000

// FrameSamples is the number of samples in one 20 ms frame at SampleRate.
const FrameSamples = 160

// FrameDuration is the duration of one frame (the usual RTP packetisation, RFC 3551 §4.2).
const FrameDuration = 20 * time.Millisecond

// samplesFor returns the number of samples at SampleRate covering d (rounded
// to the nearest sample; negative durations give 0).
func samplesFor(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((int64(d)*SampleRate + int64(time.Second)/2) / int64(time.Second))
}
