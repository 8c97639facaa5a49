package prompts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"outreach/media"
)

// ErrNotInstalled reports that a local TTS program is missing.
var ErrNotInstalled = errors.New("espeak-ng not found: run scripts/provision.sh or apt-get install espeak-ng")

// Default espeak-ng settings. The residents are often elderly: speak slowly.
// espeak-ng counts a pinyin syllable as a word, and its Mandarin is already
// slow: at 175 a prompt runs about 3.2 syllables per second with its pauses
// (people speak 4–5), so Chinese keeps espeak-ng's default while English
// drops from 175 to 150 words per minute.
const (
	DefaultChineseVoice = "cmn-latn-pinyin"
	DefaultEnglishVoice = "en-us"
	DefaultChineseRate  = 175
	DefaultEnglishRate  = 150
)

// maxTTSText bounds the text of one prompt (bytes).
const maxTTSText = 8 << 10

// EspeakEngine speaks with the local espeak-ng program. Chinese text is
// normalised and converted to tone-numbered pinyin for the cmn-latn-pinyin
// voice (espeak-ng reads hanzi badly). The text is written to the program's
// stdin, never put on its command line. The zero value is ready to use.
type EspeakEngine struct {
	Path         string // program; default "espeak-ng" from PATH
	ChineseVoice string // default DefaultChineseVoice
	EnglishVoice string // default DefaultEnglishVoice
	ChineseRate  int    // words per minute when the request has none
	EnglishRate  int
	// MaxProcesses bounds the espeak-ng processes running at once
	// (default: the number of CPUs); further calls wait their turn.
	MaxProcesses int
	Logger       *slog.Logger

	semOnce    sync.Once
	sem        chan struct{}
	voicesOnce sync.Once
	voices     map[string]bool // lower-case language and voice names; nil if unknown
}

// Name implements Engine.
func (e *EspeakEngine) Name() string { return "espeak-ng" }

// Synthesize implements Engine.
func (e *EspeakEngine) Synthesize(ctx context.Context, req Request) ([]int16, error) {
	path, err := e.lookPath()
	if err != nil {
		return nil, err
	}
	voice, rate, text := e.prepare(req)
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("espeak-ng: empty text")
	}
	if len(text) > maxTTSText {
		return nil, fmt.Errorf("espeak-ng: text of %d bytes exceeds %d", len(text), maxTTSText)
	}
	// With --stdin espeak-ng silently falls back to its default voice.
	if err := e.checkVoice(ctx, path, voice); err != nil {
		return nil, err
	}
	release, err := e.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("espeak-ng: %w", err)
	}
	defer release()
	amp := int(req.volume()*100 + 0.5)
	amp = max(0, min(amp, 200))
	cmd := exec.CommandContext(ctx, path, "--stdin", "-b", "1", "-v", voice,
		"-s", strconv.Itoa(rate), "-a", strconv.Itoa(amp), "--stdout")
	cmd.Stdin = strings.NewReader(text)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("espeak-ng: %w", ctx.Err())
		}
		return nil, fmt.Errorf("espeak-ng voice %s: %w: %s", voice, err, excerpt(stderr.Bytes()))
	}

	pcm, err := media.ReadWAV(bytes.NewReader(fixStreamedWAV(stdout.Bytes())))
	if err != nil {
		return nil, fmt.Errorf("espeak-ng output: %w", err)
	}
	if len(pcm) == 0 {
		return nil, errors.New("espeak-ng: no audio produced")
	}
	e.logger().Debug("espeak-ng synthesized", "voice", voice, "rate", rate, "chars", len([]rune(text)),
		"duration_ms", len(pcm)*1000/media.SampleRate)
	return pcm, nil
}

// acquire waits for a process slot.
func (e *EspeakEngine) acquire(ctx context.Context) (release func(), err error) {
	e.semOnce.Do(func() {
		n := e.MaxProcesses
		if n <= 0 {
			n = runtime.NumCPU()
		}
		e.sem = make(chan struct{}, n)
	})
	select {
	case e.sem <- struct{}{}:
		return func() { <-e.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// checkVoice fails for a voice espeak-ng does not list (variants after "+"
// are not checked). The list is read once.
func (e *EspeakEngine) checkVoice(ctx context.Context, path, voice string) error {
	e.voicesOnce.Do(func() {
		// Not the caller's ctx: one cancelled call must not disable the check.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(lctx, path, "--voices").Output()
		if err != nil {
			return // checked again by espeak-ng itself at synthesis
		}
		e.voices = parseVoices(string(out))
	})
	if e.voices == nil {
		return nil
	}
	name, _, _ := strings.Cut(strings.ToLower(voice), "+")
	if !e.voices[name] {
		return fmt.Errorf("espeak-ng: voice %q is not installed (see espeak-ng --voices)", voice)
	}
	return nil
}

// parseVoices reads the table of espeak-ng --voices: "Pty Language
// Age/Gender VoiceName File Other Languages", where other languages look
// like "(zh-cmn 5)(zh 5)". Every name espeak-ng accepts after -v is kept.
func parseVoices(out string) map[string]bool {
	set := map[string]bool{}
	for i, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 5 {
			continue
		}
		file := strings.ToLower(f[4])
		for _, name := range []string{f[1], f[3], file, file[strings.LastIndexByte(file, '/')+1:]} {
			set[strings.ToLower(name)] = true
		}
		for _, other := range strings.Split(strings.Join(f[5:], " "), "(")[1:] {
			if name, _, ok := strings.Cut(other, " "); ok {
				set[strings.ToLower(name)] = true
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	return set
}

func (e *EspeakEngine) lookPath() (string, error) {
	p := e.Path
	if p == "" {
		p = "espeak-ng"
	}
	found, err := exec.LookPath(p)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNotInstalled, err)
	}
	return found, nil
}

// prepare picks voice and rate and turns the text into what the voice reads.
func (e *EspeakEngine) prepare(req Request) (voice string, rate int, text string) {
	lang := req.lang()
	voice, rate = req.Voice, req.Rate
	// espeak-ng reads [[...]] as phoneme mnemonics: text never switches modes.
	text = strings.NewReplacer("[[", "[ [", "]]", "] ]").Replace(Normalize(lang, req.Text))
	if lang.IsChinese() {
		voice = firstString(voice, e.ChineseVoice, DefaultChineseVoice)
		rate = firstPositive(rate, e.ChineseRate, DefaultChineseRate)
		if strings.Contains(strings.ToLower(voice), "pinyin") {
			text = ToPinyin(text)
		}
		return voice, rate, text
	}
	voice = firstString(voice, e.EnglishVoice, DefaultEnglishVoice)
	rate = firstPositive(rate, e.EnglishRate, DefaultEnglishRate)
	return voice, rate, text
}

func (e *EspeakEngine) logger() *slog.Logger {
	if e.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Logger
}

// firstString returns the first non-empty string.
func firstString(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// firstPositive returns the first positive value.
func firstPositive(v ...int) int {
	for _, x := range v {
		if x > 0 {
			return x
		}
	}
	return 0
}

// excerpt returns at most 200 bytes of b as one line, for error messages.
func excerpt(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// fixStreamedWAV repairs the header of a WAV written to a pipe: espeak-ng
// cannot seek back, so the RIFF and data chunk sizes hold placeholders
// (0x7ffff000…). The sizes are set to what was actually received.
func fixStreamedWAV(b []byte) []byte {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return b
	}
	putLE32(b[4:8], uint32(len(b)-8))
	for off := 12; off+8 <= len(b); {
		size := int(le32(b[off+4 : off+8]))
		if string(b[off:off+4]) == "data" {
			if avail := len(b) - off - 8; size > avail || size < 0 {
				putLE32(b[off+4:off+8], uint32(avail&^1))
			}
			return b
		}
		if size < 0 || size > len(b) {
			return b
		}
		off += 8 + size + size&1
	}
	return b
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func putLE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
