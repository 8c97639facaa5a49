package main

import (
	"os"
	"path/filepath"

	"outreach/prompts"
	"outreach/robot"
)

// scriptJSON is the script part of `outreach call --json`.
type scriptJSON struct {
	ID          string           `json:"id"`
	Version     int              `json:"version"`
	Digest      string           `json:"digest"`
	Status      string           `json:"status"`
	Answers     []answerJSON     `json:"answers"`
	Flags       []string         `json:"flags"`
	Alerts      []alertJSON      `json:"alerts"`
	OptOut      bool             `json:"opt_out"`
	Transferred bool             `json:"transferred"`
	EndNode     string           `json:"end_node"`
	Transcript  []transcriptLine `json:"transcript"`
	Error       string           `json:"error,omitempty"`
}

type answerJSON struct {
	Key        string  `json:"key"`
	Type       string  `json:"type"`
	Value      any     `json:"value"`
	Raw        string  `json:"raw"`
	Method     string  `json:"method"`
	Confidence float64 `json:"confidence"`
	Attempts   int     `json:"attempts"`
}

type alertJSON struct {
	Flag string `json:"flag"`
	Rule string `json:"rule"`
	Note string `json:"note,omitempty"`
}

type transcriptLine struct {
	AtMS   int64  `json:"at_ms"`
	Kind   string `json:"kind"`
	Node   string `json:"node,omitempty"`
	Text   string `json:"text,omitempty"`
	Detail string `json:"detail,omitempty"`
}

func toScriptJSON(rep *robot.Report) *scriptJSON {
	r := rep.Script
	if r == nil {
		return nil
	}
	out := &scriptJSON{ID: r.ScriptID, Version: r.ScriptVersion, Digest: r.ScriptDigest, Status: r.Status.String(),
		Flags: append([]string{}, r.Flags...), OptOut: r.OptOut, Transferred: r.Transferred, EndNode: r.EndNode,
		Answers: []answerJSON{}, Alerts: []alertJSON{}}
	if rep.ScriptErr != nil {
		out.Error = rep.ScriptErr.Error()
	}
	for _, a := range r.Answers {
		out.Answers = append(out.Answers, answerJSON{Key: a.Key, Type: a.Type.String(), Value: a.Value, Raw: a.Raw,
			Method: a.Method.String(), Confidence: a.Confidence, Attempts: a.Attempts})
	}
	for _, a := range r.Alerts {
		out.Alerts = append(out.Alerts, alertJSON{Flag: a.Flag, Rule: a.Rule, Note: a.Note})
	}
	for _, ev := range r.Transcript {
		out.Transcript = append(out.Transcript, transcriptLine{AtMS: ev.At.Milliseconds(), Kind: ev.Kind.String(),
			Node: ev.Node, Text: ev.Text, Detail: ev.Detail})
	}
	return out
}

// promptEngine is espeak-ng, behind the pre-rendered prompts shipped next to
// the script (DIR/prompts), so the sample scripts play without espeak-ng.
func promptEngine(e *env, script string) prompts.Engine {
	var espeak prompts.Engine = &prompts.EspeakEngine{Logger: e.logger}
	if script == "" {
		return espeak
	}
	dir := filepath.Join(filepath.Dir(script), "prompts")
	if _, err := os.Stat(filepath.Join(dir, prompts.ManifestFile)); err != nil {
		return espeak
	}
	shipped, err := prompts.NewShippedEngine(dir, espeak, e.logger)
	if err != nil {
		e.logger.Warn("shipped prompts unusable; using espeak-ng", "dir", dir, "err", err)
		return espeak
	}
	return shipped
}
