// Package asr is speech recognition for calls: a streaming Recognizer
// interface (20 ms frames of 8 kHz PCM in, partial and final text out),
// the endpointing in front of it (speech start, end of utterance after a
// pause, no-input timeout, barge-in during a prompt), and the engines:
//
//   - pocketsphinx, in process through cgo (build tag pocketsphinx), with a
//     JSGF grammar generated per question; the offline English engine;
//   - vosk, the Vosk server WebSocket protocol;
//   - funasr, the FunASR runtime WebSocket protocol (Mandarin, hotwords);
//   - openai, an OpenAI-compatible POST /v1/audio/transcriptions after
//     endpointing (whisper.cpp server, faster-whisper, vLLM, cloud);
//   - template, pure Go: isolated-phrase recognition by template matching
//     (MFCC features, dynamic time warping) against reference recordings
//     of each phrase a yes/no or choice question accepts.
//
// The template engine is speaker-dependent: it understands voices like
// its references' (the demo's synthetic residents, or the recorded answers
// of one known speaker), and rejects what is not near a reference rather
// than guess. Real residents need funasr, vosk, openai or pocketsphinx.
//
// New builds one from Config. Engines return errors instead of guessing:
// the caller falls back to keys. Sub-package meaning turns the text into
// answers.
//
// Time in this package is counted in frames (20 ms each), never read from
// a clock, so endpointing is deterministic and testable without sleeping.
package asr
