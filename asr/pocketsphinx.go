//go:build pocketsphinx

package asr

import (
	"context"
	"fmt"

	"outreach/asr/pocketsphinx"
)

// PocketsphinxBuilt reports whether this binary has the pocketsphinx engine.
const PocketsphinxBuilt = true

// sphinx runs pocketsphinx decoders from a pool, one per utterance.
type sphinx struct {
	cfg   pocketsphinx.Config
	idle  chan *pocketsphinx.Decoder
	slots chan struct{} // one per decoder alive
}

func newPocketsphinx(cfg Config) (Recognizer, error) {
	pc := pocketsphinx.Config{}
	if cfg.ModelDir != "" {
		pc.HMM, pc.Dict = cfg.ModelDir+"/en-us", cfg.ModelDir+"/cmudict-en-us.dict"
	}
	s := &sphinx{cfg: pc, idle: make(chan *pocketsphinx.Decoder, cfg.Decoders), slots: make(chan struct{}, cfg.Decoders)}
	d, err := s.get(context.Background()) // load the model now: fail at start, not mid-call
	if err != nil {
		return nil, err
	}
	s.put(d)
	return s, nil
}

func (s *sphinx) Name() string { return EnginePocketsphinx }

// get takes an idle decoder, makes one if under the limit, or waits.
func (s *sphinx) get(ctx context.Context) (*pocketsphinx.Decoder, error) {
	select {
	case d := <-s.idle:
		return d, nil
	default:
	}
	select {
	case d := <-s.idle:
		return d, nil
	case s.slots <- struct{}{}:
		d, err := pocketsphinx.NewDecoder(s.cfg)
		if err != nil {
			<-s.slots
			return nil, fmt.Errorf("asr: pocketsphinx: %w", err)
		}
		return d, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *sphinx) put(d *pocketsphinx.Decoder) { s.idle <- d }

// Recognize decodes the utterance against the question's grammar, audio
// upsampled to 16 kHz frame by frame. A partial result every 200 ms.
func (s *sphinx) Recognize(ctx context.Context, opts Options, audio <-chan []int16, partial chan<- Result) (Result, error) {
	d, err := s.get(ctx)
	if err != nil {
		return Result{}, err
	}
	defer s.put(d)
	g, err := Grammar(opts, d.Known)
	if err != nil {
		return Result{}, fmt.Errorf("asr: pocketsphinx: %w", err)
	}
	if err := d.Start(g); err != nil {
		return Result{}, fmt.Errorf("asr: pocketsphinx: %w", err)
	}
	up, buf, n, last := NewUpsampler(), make([]int16, 0, 4*160), 0, ""
	for {
		select {
		case <-ctx.Done():
			d.Abort()
			return Result{}, ctx.Err()
		case f, ok := <-audio:
			if !ok {
				buf = up.Process(buf[:0], make([]int16, upsampleTaps/2)) // flush the filter delay
				if err := d.Process(buf); err != nil {
					d.Abort()
					return Result{}, fmt.Errorf("asr: pocketsphinx: %w", err)
				}
				text, prob, err := d.End()
				if err != nil {
					return Result{}, fmt.Errorf("asr: pocketsphinx: %w", err)
				}
				if prob >= 1 {
					prob = 0 // grammar search gives no posterior
				}
				return Result{Text: text, Final: true, Confidence: prob}, nil
			}
			buf = up.Process(buf[:0], f)
			if err := d.Process(buf); err != nil {
				d.Abort()
				return Result{}, fmt.Errorf("asr: pocketsphinx: %w", err)
			}
			if n++; n%10 == 0 {
				if h := d.Hypothesis(); h != last {
					last = h
					sendPartial(partial, Result{Text: h})
				}
			}
		}
	}
}
