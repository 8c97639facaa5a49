package media

// VAD is a frame-energy voice-activity detector with onset confirmation and
// hangover, meant for barge-in and end-of-answer detection on 20 ms frames.
//
// A frame is "loud" when its RMS level (DBFS) reaches ThresholdDBFS. Speech
// starts after StartFrames consecutive loud frames (so a click or a single
// noise burst does not count) and, once started, continues until HangFrames
// consecutive quiet frames have passed (so the short pauses between words and
// the weak ends of syllables do not cut it). It does not adapt to the noise
// floor: callers set the threshold for their line (-40 dBFS, the default,
// sits well above the -60..-70 dBFS of a quiet telephone line and below
// normal speech at -30..-15 dBFS).
type VAD struct {
	cfg    VADConfig
	loud   int  // consecutive loud frames
	quiet  int  // consecutive quiet frames while in speech
	speech bool // current state
}

// VADConfig tunes a VAD. Zero values select the defaults.
type VADConfig struct {
	ThresholdDBFS float64 // frame level counting as speech; 0 → DefaultVADThresholdDBFS
	HangFrames    int     // quiet frames before speech ends; 0 → DefaultVADHangFrames, < 0 → none
	StartFrames   int     // loud frames before speech starts; 0 → DefaultVADStartFrames
}

// VAD defaults.
const (
	DefaultVADThresholdDBFS = -40.0
	DefaultVADHangFrames    = 15 // 300 ms at 20 ms frames
	DefaultVADStartFrames   = 2  // 40 ms
)

// NewVAD returns a VAD in the silent state.
func NewVAD(cfg VADConfig) *VAD {
	if cfg.ThresholdDBFS == 0 {
		cfg.ThresholdDBFS = DefaultVADThresholdDBFS
	}
	switch {
	case cfg.HangFrames == 0:
		cfg.HangFrames = DefaultVADHangFrames
	case cfg.HangFrames < 0:
		cfg.HangFrames = 0
	}
	if cfg.StartFrames <= 0 {
		cfg.StartFrames = DefaultVADStartFrames
	}
	return &VAD{cfg: cfg}
}

// Process classifies one frame and returns whether speech is in progress
// (including the hangover). It never allocates and is not safe for concurrent use.
func (v *VAD) Process(frame []int16) (speech bool) {
	if DBFS(frame) >= v.cfg.ThresholdDBFS {
		v.loud = min(v.loud+1, v.cfg.StartFrames)
		v.quiet = 0
		if v.loud >= v.cfg.StartFrames {
			v.speech = true
		}
		return v.speech
	}
	v.loud = 0
	if v.speech {
		v.quiet++
		if v.quiet > v.cfg.HangFrames {
			v.speech, v.quiet = false, 0
		}
	}
	return v.speech
}

// Speaking reports the state returned by the last Process call.
func (v *VAD) Speaking() bool { return v.speech }

// Reset returns the VAD to the silent state.
func (v *VAD) Reset() { v.loud, v.quiet, v.speech = 0, 0, false }
