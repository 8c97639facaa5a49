package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
	"outreach/mask"
	"outreach/node"
	"outreach/sim"
	"outreach/storage"
)

// Summary is what the demo prints at the end.
type Summary struct {
	Residents, Observed int
	Duration            time.Duration
	Progress            storage.Progress
	FirstOutcome        map[string]int // outcome of each resident's first attempt
	Alerts              map[string]int // alerts raised, by kind
	Visits              []Visit        // who a grid worker must visit
	Mismatches          []string       // residents whose result does not match their persona
	Spoken              int            // answers taken by speech (first attempts)
	Invites             int            // INVITEs the simulated residents saw
	Report              string         // the day's report (XLSX)
	Console, Login      string         // with --serve: the console's address and the demo login
}

// Visit is one resident to see in person, and why.
type Visit struct {
	Name, Community, Why string
}

func summarize(ctx context.Context, n *node.Node, c campaigns.Campaign, members []Member, srv *sim.Server, d time.Duration) (*Summary, error) {
	s := n.Store()
	sum := &Summary{Residents: len(members), Duration: d, FirstOutcome: map[string]int{}, Alerts: map[string]int{}}
	var err error
	if sum.Progress, err = s.CampaignProgress(ctx, c.ID); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	first, err := firstAttempts(ctx, s, c.ID)
	if err != nil {
		return nil, err
	}
	alerts, err := s.Followup().AlertsOn(ctx, n.Followup().Today())
	if err != nil {
		return nil, fmt.Errorf("demo: alerts: %w", err)
	}
	byRes := map[int64][]string{}
	for _, a := range alerts {
		sum.Alerts[a.Kind]++
		byRes[a.ResidentID] = append(byRes[a.ResidentID], a.Kind)
	}
	exp := Expectations()
	for _, m := range members {
		if !m.Observed {
			continue // the daily check calls the residents under observation
		}
		sum.Observed++
		o := first[m.ID].outcome
		sum.FirstOutcome[o]++
		got := byRes[m.ID]
		sort.Strings(got)
		want := exp[m.Persona]
		wantAlerts := append([]string(nil), want.Alerts...)
		sort.Strings(wantAlerts)
		if o != want.Outcome || strings.Join(got, ",") != strings.Join(wantAlerts, ",") {
			sum.Mismatches = append(sum.Mismatches, fmt.Sprintf("%s (%s): outcome %s alerts %v, want %s %v",
				mask.Phone(m.Phone), m.Persona, o, got, want.Outcome, want.Alerts))
		}
		spoken, err := spokenAnswers(ctx, s, first[m.ID].id)
		if err != nil {
			return nil, err
		}
		sum.Spoken += spoken
		if spoken != want.Spoken {
			sum.Mismatches = append(sum.Mismatches, fmt.Sprintf("%s (%s): %d answers taken by speech, want %d",
				mask.Phone(m.Phone), m.Persona, spoken, want.Spoken))
		}
		if len(got) > 0 {
			sum.Visits = append(sum.Visits, Visit{Name: mask.Name(m.Name), Community: m.Community, Why: strings.Join(got, "、")})
		}
	}
	sum.Invites = len(srv.Calls())
	return sum, nil
}

type firstAttempt struct {
	id      int64
	outcome string
}

// firstAttempts returns each resident's first attempt.
func firstAttempts(ctx context.Context, s *storage.Store, campaignID int64) (map[int64]firstAttempt, error) {
	out := map[int64]firstAttempt{}
	var after int64
	for {
		page, err := s.Attempts(ctx, storage.AttemptFilter{CampaignID: campaignID, AfterID: after, Limit: 500})
		if err != nil {
			return nil, fmt.Errorf("demo: attempts: %w", err)
		}
		for _, a := range page {
			if _, seen := out[a.ResidentID]; !seen {
				out[a.ResidentID] = firstAttempt{id: a.ID, outcome: a.Outcome.String()}
			}
			after = a.ID
		}
		if len(page) < 500 {
			return out, nil
		}
	}
}

// spokenAnswers counts the answers of an attempt taken by speech (none
// for id 0, no attempt).
func spokenAnswers(ctx context.Context, s *storage.Store, id int64) (int, error) {
	if id == 0 {
		return 0, nil
	}
	a, err := s.Attempt(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("demo: attempt: %w", err)
	}
	n := 0
	for _, ans := range a.Answers {
		if ans.Method == ivr.MethodSpeech {
			n++
		}
	}
	return n, nil
}

func writeReport(ctx context.Context, n *node.Node, c campaigns.Campaign, dir string) (string, error) {
	path := filepath.Join(dir, "日报-"+time.Now().Format("2006-01-02")+".xlsx")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("demo: report: %w", err)
	}
	defer f.Close()
	if err := n.Store().ExportDailyReport(ctx, f, time.Now(), c.ID, storage.ExportOptions{Format: storage.FormatXLSX, Actor: "demo"}); err != nil {
		return "", fmt.Errorf("demo: report: %w", err)
	}
	return path, nil
}

// Print writes the summary for people.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "\n演示完成 Demo finished in %s: %d residents, %d under observation called, %d calls placed, %d answered.\n",
		s.Duration.Round(time.Second), s.Residents, s.Observed, s.Progress.Attempts, s.Progress.Answered)
	fmt.Fprintln(w, "\n结果 Outcomes (first attempt of each resident called):")
	printCounts(w, s.FirstOutcome)
	fmt.Fprintf(w, "\n语音 Answers taken by speech: %d (template engine; the other residents use keys)\n", s.Spoken)
	fmt.Fprintf(w, "\n任务 Tasks: done %d, waiting for retry %d, stopped %d, exhausted %d\n",
		s.Progress.Done, s.Progress.Queued, s.Progress.Stopped, s.Progress.Exhausted)
	fmt.Fprintln(w, "\n预警 Alerts raised:")
	printCounts(w, s.Alerts)
	fmt.Fprintf(w, "\n需上门 To visit (%d):\n", len(s.Visits))
	for i, v := range s.Visits {
		if i == 10 {
			fmt.Fprintf(w, "  … and %d more (see the report)\n", len(s.Visits)-10)
			break
		}
		fmt.Fprintf(w, "  %s  %s  %s\n", v.Name, v.Community, v.Why)
	}
	if len(s.Mismatches) > 0 {
		fmt.Fprintf(w, "\n%d residents did not behave as their persona should:\n", len(s.Mismatches))
		for _, m := range s.Mismatches {
			fmt.Fprintln(w, "  "+m)
		}
	}
	fmt.Fprintf(w, "\n日报 Report: %s\n", s.Report)
}

func printCounts(w io.Writer, m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	for _, k := range keys {
		fmt.Fprintf(w, "  %-16s %d\n", k, m[k])
	}
}
