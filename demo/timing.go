package demo

import (
	"context"
	"fmt"
	"time"

	"outreach/media"
	"outreach/prompts"
)

// statementTime is how long the robot talks, without letting anyone
// interrupt, between an unwell resident's last answer (needs) and the
// doctor question: the "advice" and "advice_unwell" statements of the
// shipped script, measured on the shipped recordings in dir. A practised
// resident answers the doctor question one second into it instead of
// waiting for it to end, which takes five seconds off the longest calls.
func statementTime(ctx context.Context, lang, dir string) (time.Duration, error) {
	_, sc, err := dailyCheck(lang)
	if err != nil {
		return 0, err
	}
	eng, err := prompts.NewShippedEngine(dir, nil, nil)
	if err != nil {
		return 0, fmt.Errorf("demo: prompts: %w", err)
	}
	var total time.Duration
	for _, id := range []string{"advice", "advice_unwell"} {
		n := sc.Nodes[id]
		if n == nil {
			return 0, fmt.Errorf("demo: script %s has no node %q", sc.ID, id)
		}
		pcm, err := eng.Synthesize(ctx, prompts.Request{Text: n.Say, Language: prompts.Language(sc.Language), Voice: sc.Voice.Name})
		if err != nil {
			return 0, fmt.Errorf("demo: prompt %s: %w", id, err)
		}
		total += time.Duration(len(pcm)) * time.Second / media.SampleRate
	}
	return total, nil
}
