package media

// In-band DTMF detection (ITU-T Q.23 frequencies, Q.24 acceptance rules).
//
// The detector runs twelve Goertzel filters (the eight DTMF frequencies and the
// second harmonics of the four high-group frequencies) over consecutive blocks
// of dtmfBlock samples, streaming across frame boundaries, so it keeps no
// sample buffer and never allocates. 102 samples (12.75 ms) gives bins about
// 78 Hz wide, enough to separate adjacent low-group tones (73 Hz apart) while
// keeping blocks short (the block length spandsp uses).
//
// A block "hits" a digit when all of these hold:
//   - the strongest low- and high-group tones are each above dtmfMinTone;
//   - twist: the high tone is at most 8 dB above the low one (normal twist) and
//     at most 4 dB below it (reverse twist);
//   - relative peak: every other tone of the same group is at least 8 dB down;
//   - the two tones hold at least dtmfMinShare of the block's energy, which
//     rejects speech, music and noise whose energy is spread over many
//     frequencies, and rejects blocks only partly covered by a tone;
//   - the second harmonic of the high tone is at least 20 dB down, which
//     rejects voiced speech whose harmonics happen to fall near DTMF tones.
//     (Low-group second harmonics are not checked: high-group tones leak into
//     their bins at this block length.)
//
// A key goes down when two consecutive blocks hit the same digit and is
// reported once, at that moment; it goes up after three consecutive blocks that
// do not hit it. So a tone is always detected when it lasts ≥ 38.25 ms (two
// whole blocks at any alignment) and never when it lasts < 20.5 ms;
// interruptions shorter than 18 ms are always bridged (a key is not reported
// twice) and gaps of 50 ms or more always separate two presses of the same
// key (ITU-T Q.24 asks to bridge ≤ 10 ms and recognise pauses ≥ 40 ms). A new
// digit following another without a gap is reported after two blocks. The
// ±1.5 % / ±3.5 % frequency-tolerance rule of Q.24 is not enforced: a
// 102-sample block cannot resolve it.
const (
	dtmfBlock         = 102
	dtmfNormalTwist   = 6.31  // 8 dB: high group may be this much stronger than low
	dtmfReverseTwist  = 2.51  // 4 dB: low group may be this much stronger than high
	dtmfRelativePeak  = 6.31  // 8 dB over every other tone of the same group
	dtmfMinShare      = 0.8   // share of block energy in the two tones
	dtmfHarmonicRatio = 0.01  // 20 dB: second harmonic below the fundamental
	dtmfMinToneDBFS   = -40.0 // per-tone RMS level floor
	dtmfUpBlocks      = 3     // blocks without the key before it counts as released
)

// dtmfMinTone is the Goertzel power over one block of a sine whose RMS level
// is dtmfMinToneDBFS (-40): (A·N/2)² with A = √2·32768·10^(-40/20).
const dtmfMinTone = 2 * 32768 * 32768 * 1e-4 * dtmfBlock * dtmfBlock / 4

// DTMFDetector finds DTMF key presses in 8 kHz audio. Feed it consecutive
// frames (any length up to FrameSamples; longer frames work but at most one
// digit is returned per call, so a buffer spanning several key presses loses
// all but the first). It is not safe for concurrent use.
type DTMFDetector struct {
	rows, cols, harm [4]goertzel
	energy           float64
	n                int
	lastHit, inDigit byte // hit of the previous block and the key held down; 0 = none
	misses           int  // consecutive blocks not hitting inDigit
}

// NewDTMFDetector returns a detector in the idle state.
func NewDTMFDetector() *DTMFDetector {
	d := &DTMFDetector{}
	for i := range 4 {
		d.rows[i] = newGoertzel(dtmfRows[i])
		d.cols[i] = newGoertzel(dtmfCols[i])
		d.harm[i] = newGoertzel(2 * dtmfCols[i])
	}
	return d
}

// Process analyses frame and returns the digit of a key that went down during
// it (0-9, *, #, A-D). It never allocates.
func (d *DTMFDetector) Process(frame []int16) (digit rune, ok bool) {
	for _, s := range frame {
		x := float64(s)
		for i := range 4 {
			d.rows[i].add(x)
			d.cols[i].add(x)
			d.harm[i].add(x)
		}
		d.energy += x * x
		d.n++
		if d.n < dtmfBlock {
			continue
		}
		hit := d.classify()
		d.resetBlock()
		if d.track(hit) && !ok {
			digit, ok = rune(hit), true
		}
	}
	return digit, ok
}

// track runs the key state machine on the hit of one block and reports
// whether it is a new key going down.
func (d *DTMFDetector) track(hit byte) (down bool) {
	if hit == d.inDigit && hit != 0 {
		d.misses = 0
	} else if d.misses = min(d.misses+1, dtmfUpBlocks); d.misses == dtmfUpBlocks {
		d.inDigit = 0
	}
	if hit != 0 && hit == d.lastHit && hit != d.inDigit {
		d.inDigit, d.misses, down = hit, 0, true
	}
	d.lastHit = hit
	return down
}

// Reset returns the detector to the idle state, forgetting any partial block
// and any key held down.
func (d *DTMFDetector) Reset() {
	d.resetBlock()
	d.lastHit, d.inDigit, d.misses = 0, 0, 0
}

func (d *DTMFDetector) resetBlock() {
	for i := range 4 {
		d.rows[i].reset()
		d.cols[i].reset()
		d.harm[i].reset()
	}
	d.energy, d.n = 0, 0
}

// classify applies the acceptance checks to the block just completed and
// returns the digit it hits, or 0.
func (d *DTMFDetector) classify() byte {
	var rowP, colP [4]float64
	for i := range 4 {
		rowP[i] = d.rows[i].power()
		colP[i] = d.cols[i].power()
	}
	r, c := argmax(&rowP), argmax(&colP)
	row, col := rowP[r], colP[c]
	switch {
	case row < dtmfMinTone || col < dtmfMinTone:
		return 0
	case col > row*dtmfNormalTwist || row > col*dtmfReverseTwist:
		return 0
	case !dominant(&rowP, r) || !dominant(&colP, c):
		return 0
	case 2*(row+col)/dtmfBlock < dtmfMinShare*d.energy:
		return 0 // (A·N/2)²·2/N is the energy of the sine within the block
	case d.harm[c].power() > col*dtmfHarmonicRatio:
		return 0
	}
	return dtmfKeys[r*4+c]
}

func argmax(p *[4]float64) int {
	best := 0
	for i := 1; i < 4; i++ {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

// dominant reports whether p[best] exceeds every other entry by the relative-peak margin.
func dominant(p *[4]float64, best int) bool {
	for i := range 4 {
		if i != best && p[i]*dtmfRelativePeak > p[best] {
			return false
		}
	}
	return true
}
