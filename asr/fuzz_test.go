package asr

import "testing"

// FuzzEngineReplies feeds arbitrary server messages to the Vosk and FunASR
// reply parsers: errors are fine, panics are not.
func FuzzEngineReplies(f *testing.F) {
	for _, s := range []string{`{"partial": "yes"}`, `{"text": "no", "result": [{"conf": 0.5}]}`,
		`{"mode": "2pass-offline", "text": "没有", "is_final": true}`, `{"mode": "x"}`, `[]`, `{"text": null}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := make(chan Result, 1)
		v := &voskState{partial: p}
		_ = v.reply(b)
		_ = v.result()
		fs := &funasrState{partial: p, ended: true}
		_ = fs.reply(b)
		_ = fs.text()
		_ = fs.done("2pass")
	})
}
