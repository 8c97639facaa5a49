package asr

import (
	"context"
	"fmt"
	"math"

	"outreach/media"
)

// Decision thresholds of the template engine, in DTW distance units (the
// mean Euclidean distance of MFCC+delta frames along the warping path).
// Measured on espeak-ng references against the same words spoken slower
// and higher through G.711: the same word scores 22–38, a different word
// 55 and more, noise and tones 69 and more.
const (
	// templateMaxDistance: a best match farther than this is not understood.
	templateMaxDistance = 48.0
	// templateMinMargin: the runner-up phrase must be this much farther
	// (relative) than the best one, or the answer is not understood.
	templateMinMargin = 0.1
	// templateMaxAudio bounds the audio kept for one utterance; the rest is
	// read and dropped (no short answer is that long).
	templateMaxAudio = 10 * media.SampleRate
)

// templateEngine recognises isolated phrases by template matching: the
// utterance's MFCC features against reference recordings of each phrase
// the question accepts, compared by dynamic time warping. It needs no
// model and no network, and it is speaker-dependent: it understands
// voices like its references' (see the package doc).
type templateEngine struct {
	refs referenceSet
	mfcc *mfcc
}

func newTemplate(cfg Config) (Recognizer, error) {
	m := newMFCC()
	refs, err := loadReferences(cfg.TemplateDir, m)
	if err != nil {
		return nil, fmt.Errorf("asr: template: %w", err)
	}
	return &templateEngine{refs: refs, mfcc: m}, nil
}

func (e *templateEngine) Name() string { return EngineTemplate }

// Recognize reads the utterance to its end and returns the phrase whose
// references are nearest, or no text when none is near enough or two
// phrases are about as near. A question with no recorded phrase (numbers,
// digits, free speech, a language without references) is an error
// wrapping ErrNoGrammar, at once: the caller takes keys.
func (e *templateEngine) Recognize(ctx context.Context, opts Options, audio <-chan []int16, partial chan<- Result) (Result, error) {
	refs, err := e.refs.forQuestion(opts)
	if err != nil {
		return Result{}, fmt.Errorf("asr: template: %w", err)
	}
	var pcm []int16
	for {
		select {
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case f, ok := <-audio:
			if !ok {
				return e.match(e.mfcc.features(pcm), refs), nil
			}
			if len(pcm) < templateMaxAudio {
				pcm = append(pcm, f[:min(len(f), templateMaxAudio-len(pcm))]...)
			}
		}
	}
}

// match picks the nearest phrase (the nearest of its references) and
// derives a confidence from its margin over the runner-up: 0.5 at the
// smallest margin accepted, towards 1 as the runner-up gets farther.
// Phrases farther than twice templateMaxDistance count as that far, so a
// question with one recorded phrase still has a margin.
func (e *templateEngine) match(feats [][]float64, refs []reference) Result {
	none := Result{Final: true}
	if feats == nil {
		return none
	}
	best := map[string]float64{}
	text := map[string]string{}
	for _, r := range refs {
		d := dtw(feats, r.feats)
		if old, ok := best[r.key]; !ok || d < old {
			best[r.key], text[r.key] = d, r.text
		}
	}
	first, d1, d2 := "", math.Inf(1), 2*templateMaxDistance
	for k, d := range best {
		switch {
		case d < d1 || (d == d1 && k < first):
			first, d1, d2 = k, d, min(d1, d2)
		case d < d2:
			d2 = d
		}
	}
	if d1 > templateMaxDistance {
		return none
	}
	margin := (d2 - d1) / d2
	if margin < templateMinMargin {
		return none
	}
	conf := 0.5 + 0.5*(margin-templateMinMargin)/(1-templateMinMargin)
	return Result{Text: text[first], Final: true, Confidence: math.Round(conf*100) / 100}
}
