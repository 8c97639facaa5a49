package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadPersonasSample(t *testing.T) {
	rules, mix, err := LoadPersonas("testdata/personas.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 4 || len(mix) != 7 {
		t.Fatalf("%d rules, %d weighted", len(rules), len(mix))
	}
	ch, err := newChooser(rules, mix)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		number, persona string
		kind            Kind
	}{
		{"13800000001", "busy", KindBusy},
		{"13800000002", "gone", KindNotInService},
		{"13800001234", "feverish", KindAnswer},
		{"13912345678", "rule 3", KindAnswer},
	}
	for _, tc := range tests {
		p := ch.pick(tc.number)
		if p.Name != tc.persona || p.Kind != tc.kind {
			t.Errorf("%s → %s/%s, want %s/%s", tc.number, p.Name, p.Kind, tc.persona, tc.kind)
		}
	}
	healthy := ch.pick("13800000001")
	_ = healthy
	h := findRule(t, mix, "healthy")
	want := []DigitAt{
		{Digit: '1', AfterPrompt: true},
		{Digit: '3', AfterPrompt: true}, {Digit: '6', At: 300 * time.Millisecond, Relative: true},
		{Digit: '5', At: 300 * time.Millisecond, Relative: true}, {Digit: '#', At: 300 * time.Millisecond, Relative: true},
		{Digit: '2', AfterPrompt: true},
	}
	if len(h.Digits) != len(want) {
		t.Fatalf("healthy digits %+v", h.Digits)
	}
	for i := range want {
		if h.Digits[i] != want[i] {
			t.Errorf("digit %d = %+v, want %+v", i, h.Digits[i], want[i])
		}
	}
	timed := ch.rules[0].persona // busy
	if timed.Kind != KindBusy {
		t.Fatal("rule order lost")
	}
}

func findRule(t *testing.T, mix []Weighted, name string) Persona {
	t.Helper()
	for _, w := range mix {
		if w.Persona.Name == name {
			return w.Persona
		}
	}
	t.Fatalf("no persona %q", name)
	return Persona{}
}

func TestDefaultMixIsStableAndWeighted(t *testing.T) {
	mix := []Weighted{
		{Weight: 3, Persona: Persona{Name: "a", Kind: KindAnswer}},
		{Weight: 1, Persona: Persona{Name: "b", Kind: KindBusy}},
		{Weight: 0, Persona: Persona{Name: "never", Kind: KindBusy}},
	}
	ch, err := newChooser(nil, mix)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for i := range 4000 {
		n := "1390000" + uitoa(uint32(i))
		p := ch.pick(n)
		if again := ch.pick(n); again.Name != p.Name {
			t.Fatalf("%s not stable", n)
		}
		counts[p.Name]++
	}
	if counts["never"] != 0 || counts["a"] < 2700 || counts["a"] > 3300 {
		t.Fatalf("counts %v, want about 3000/1000/0", counts)
	}
	if p := (&chooser{}).pick("1"); p.Kind != KindAnswer {
		t.Fatalf("empty chooser gives %+v", p)
	}
}

func TestMatchers(t *testing.T) {
	tests := []struct {
		match, number string
		want          bool
	}{
		{"13800000001", "13800000001", true},
		{"13800000001", "138000000012", false},
		{"1380000*", "13800001111", true},
		{"1380000*", "13900001111", false},
		{"138????1111", "13800001111", true},
		{"re:^139", "13912345678", true},
		{"re:^139", "01391234567", false},
		{"re:^(137|136)\\d{8}$", "13612345678", true},
	}
	for _, tc := range tests {
		m, err := compileRule(Rule{Match: tc.match, Persona: Persona{Kind: KindBusy}})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.match(tc.number); got != tc.want {
			t.Errorf("%q matches %q = %v", tc.match, tc.number, got)
		}
	}
}

func TestParsePersonasErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown kind", "personas: {x: {kind: dance}}", "unknown kind"},
		{"unknown field", "personas: {x: {kind: busy, colour: red}}", "colour"},
		{"unknown persona", "rules: [{match: '1', persona: nobody}]", "unknown persona"},
		{"bad regexp", "rules: [{match: 're:(', persona: {kind: busy}}]", "match"},
		{"bad glob", "rules: [{match: '[', persona: {kind: busy}}]", "match"},
		{"empty match", "rules: [{persona: {kind: busy}}]", "empty match"},
		{"bad digit", "personas: {x: {kind: answer, digits: [{digit: 'x'}]}}", "not a DTMF key"},
		{"two digits", "personas: {x: {kind: answer, digits: [{digit: '12'}]}}", "exactly one key"},
		{"hangup without time", "personas: {x: {kind: hangup}}", "hangup_after"},
		{"bad status", "personas: {x: {kind: not_in_service, final_status: 500}}", "final_status"},
		{"bad method", "personas: {x: {kind: answer, digits: [{digit: '1', method: fax}]}}", "method"},
		{"negative weight", "default: [{weight: -1, persona: {kind: busy}}]", "negative weight"},
		{"bad duration", "personas: {x: {kind: answer, ring_for: soon}}", "soon"},
		{"persona list", "rules: [{match: '1', persona: [busy]}]", "name or a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParsePersonas([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestLoadPersonasFileErrors(t *testing.T) {
	if _, _, err := LoadPersonas(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Fatal("missing file accepted")
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, make([]byte, maxPersonasFile+10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadPersonas(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Fatalf("big file: %v", err)
	}
	if r, m, err := ParsePersonas(nil); err != nil || len(r) != 0 || len(m) != 0 {
		t.Fatalf("empty file: %v", err)
	}
}

func FuzzParsePersonas(f *testing.F) {
	sample, err := os.ReadFile("testdata/personas.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte("rules: [{match: 're:^1', persona: {kind: busy}}]"))
	f.Add([]byte("personas: {a: {kind: answer, script: [{wait_for_prompt: true, digits: '1#'}]}}\ndefault: [{weight: 1, persona: a}]"))
	f.Add([]byte("a: &a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, mix, err := ParsePersonas(data)
		if err != nil {
			return
		}
		ch, err := newChooser(rules, mix)
		if err != nil {
			t.Fatalf("parsed personas rejected by New: %v", err)
		}
		p := ch.pick("13800000000")
		if err := p.Validate(); err != nil {
			t.Fatalf("picked invalid persona: %v", err)
		}
	})
}

func TestLoadPersonasResolvesWAVs(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "yes.wav"), []byte("RIFF"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "p.yaml")
	write := func(body string) {
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("rules: [{match: '1', persona: {kind: answer, speak: yes.wav}}]")
	rules, _, err := LoadPersonas(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := rules[0].Persona.Speak; got != filepath.Join(dir, "yes.wav") {
		t.Fatalf("speak resolved to %q", got)
	}
	write("default: [{weight: 1, persona: {kind: not_in_service, announcement: missing.wav}}]")
	if _, _, err := LoadPersonas(file); err == nil || !strings.Contains(err.Error(), "missing.wav") {
		t.Fatalf("missing announcement: %v", err)
	}
}
