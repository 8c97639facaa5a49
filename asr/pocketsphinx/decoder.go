//go:build pocketsphinx

package pocketsphinx

/*
#cgo pkg-config: pocketsphinx sphinxbase
#include <stdlib.h>
#include <pocketsphinx.h>

static cmd_ln_t *ps_config(int argc, char **argv) {
	return cmd_ln_parse_r(NULL, ps_args(), argc, argv, FALSE);
}
static double ps_prob(ps_decoder_t *ps) {
	return logmath_exp(ps_get_logmath(ps), ps_get_prob(ps));
}
*/
import "C"

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"unsafe"
)

// DefaultModel is where Debian's pocketsphinx-en-us installs the model.
const DefaultModel = "/usr/share/pocketsphinx/model/en-us"

// SampleRate is the rate the en-us model expects.
const SampleRate = 16000

// Config locates the model. Zero values select the Debian en-us model.
type Config struct {
	HMM  string // acoustic model directory (default DefaultModel + "/en-us")
	Dict string // pronunciation dictionary (default DefaultModel + "/cmudict-en-us.dict")
}

// Decoder is one pocketsphinx decoder.
type Decoder struct {
	ps       *C.ps_decoder_t
	cfg      *C.cmd_ln_t
	searches map[string]bool // grammars already compiled, by name
	inUtt    bool
}

// ErrDecoder is wrapped by every failure of the C library.
var ErrDecoder = errors.New("pocketsphinx")

// NewDecoder loads the model (about half a second and 20-30 MB each).
func NewDecoder(cfg Config) (*Decoder, error) {
	if cfg.HMM == "" {
		cfg.HMM = DefaultModel + "/en-us"
	}
	if cfg.Dict == "" {
		cfg.Dict = DefaultModel + "/cmudict-en-us.dict"
	}
	args := []string{"pocketsphinx", "-hmm", cfg.HMM, "-dict", cfg.Dict, "-logfn", "/dev/null",
		"-samprate", "16000",
		// Wide beams: a per-question grammar is small, so accuracy costs little CPU.
		"-beam", "1e-60", "-wbeam", "1e-50"}
	argv := make([]*C.char, len(args))
	for i, a := range args {
		argv[i] = C.CString(a)
	}
	defer func() {
		for _, a := range argv {
			C.free(unsafe.Pointer(a))
		}
	}()
	c := C.ps_config(C.int(len(args)), &argv[0])
	if c == nil {
		return nil, fmt.Errorf("%w: bad configuration", ErrDecoder)
	}
	ps := C.ps_init(c)
	if ps == nil {
		C.cmd_ln_free_r(c)
		return nil, fmt.Errorf("%w: load model %s: init failed", ErrDecoder, cfg.HMM)
	}
	return &Decoder{ps: ps, cfg: c, searches: map[string]bool{}}, nil
}

// Known reports whether the dictionary can pronounce word.
func (d *Decoder) Known(word string) bool {
	w := C.CString(word)
	defer C.free(unsafe.Pointer(w))
	p := C.ps_lookup_word(d.ps, w)
	if p == nil {
		return false
	}
	C.free(unsafe.Pointer(p))
	return true
}

// Start begins an utterance decoded against a JSGF grammar. Grammars are
// compiled once per decoder and reused by content.
func (d *Decoder) Start(jsgf string) error {
	sum := sha256.Sum256([]byte(jsgf))
	name := "g" + hex.EncodeToString(sum[:8])
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	if !d.searches[name] {
		g := C.CString(jsgf)
		defer C.free(unsafe.Pointer(g))
		if C.ps_set_jsgf_string(d.ps, cname, g) != 0 {
			return fmt.Errorf("%w: compile grammar", ErrDecoder)
		}
		d.searches[name] = true
	}
	if C.ps_set_search(d.ps, cname) != 0 {
		return fmt.Errorf("%w: select grammar", ErrDecoder)
	}
	if C.ps_start_utt(d.ps) != 0 {
		return fmt.Errorf("%w: start utterance", ErrDecoder)
	}
	d.inUtt = true
	return nil
}

// Process decodes 16 kHz samples.
func (d *Decoder) Process(pcm []int16) error {
	if len(pcm) == 0 {
		return nil
	}
	if C.ps_process_raw(d.ps, (*C.int16)(unsafe.Pointer(&pcm[0])), C.size_t(len(pcm)), C.FALSE, C.FALSE) < 0 {
		return fmt.Errorf("%w: process audio", ErrDecoder)
	}
	return nil
}

// Hypothesis is the best text so far ("" if none).
func (d *Decoder) Hypothesis() string {
	var score C.int32
	h := C.ps_get_hyp(d.ps, &score)
	if h == nil {
		return ""
	}
	return C.GoString(h)
}

// End finishes the utterance and returns the text and its posterior
// probability (0..1; 0 when the search gives none).
func (d *Decoder) End() (string, float64, error) {
	if !d.inUtt {
		return "", 0, fmt.Errorf("%w: no utterance", ErrDecoder)
	}
	d.inUtt = false
	if C.ps_end_utt(d.ps) < 0 {
		return "", 0, fmt.Errorf("%w: end utterance", ErrDecoder)
	}
	return d.Hypothesis(), float64(C.ps_prob(d.ps)), nil
}

// Abort ends an utterance whose result is not wanted.
func (d *Decoder) Abort() {
	if d.inUtt {
		C.ps_end_utt(d.ps)
		d.inUtt = false
	}
}

// Close frees the decoder.
func (d *Decoder) Close() {
	if d.ps != nil {
		C.ps_free(d.ps)
		C.cmd_ln_free_r(d.cfg)
		d.ps, d.cfg = nil, nil
	}
}
