package ivr

import (
	"strings"
	"testing"
	"time"
)

func TestResidentPrompts(t *testing.T) {
	s, err := LoadFile("../scripts/samples/daily-health-check.zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := NewEngine(s, Options{}).ResidentPrompts(Data{Org: "幸福街道", Resident: Resident{Name: "张三华"}}, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	if len(got) == 0 {
		t.Fatal("no resident prompts")
	}
	joined := strings.Join(got, "\n")
	if !strings.Contains(joined, "幸福街道") || !strings.Contains(joined, "张") || strings.Contains(joined, "张三华") {
		t.Errorf("prompts should carry the org and the masked name only:\n%s", joined)
	}
	if strings.Contains(joined, "{{") {
		t.Errorf("unrendered template:\n%s", joined)
	}
	for _, static := range s.StaticPrompts() {
		for _, g := range got {
			if g == static {
				t.Errorf("static prompt listed again: %s", g)
			}
		}
	}
}
