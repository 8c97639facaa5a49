package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"outreach/campaigns"
	"outreach/ivr"
)

// seedReport: 3 residents in 永安里社区 and 1 in 建外社区 on one run at
// 09:00 Shanghai; resident 0 completes (abnormal temperature), resident 1
// answers but hangs up, resident 2 is busy, resident 3 never dialed.
func seedReport(t *testing.T, s *Store) (campaigns.Campaign, time.Time) {
	t.Helper()
	ctx := context.Background()
	comms := []string{"永安里社区", "永安里社区", "永安里社区", "建外社区"}
	for i, c := range comms {
		cid, err := s.EnsureOrgUnit(ctx, LevelCommunity, 0, c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateResident(ctx, Resident{Name: "居民" + string(rune('A'+i)), Phone: "+86" + mobile(i),
			CommunityID: cid, Tags: []string{"d"}}); err != nil {
			t.Fatal(err)
		}
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	occ := time.Date(2026, 11, 28, 9, 0, 0, 0, loc)
	c := campaigns.Campaign{Name: "日报", State: campaigns.StateRunning, Target: campaigns.Target{Kind: campaigns.TargetTag, Ref: "d"}}
	c.ID, _ = s.CreateCampaign(ctx, c)
	due, err := s.CreateRun(ctx, 1, c, occ)
	if err != nil || len(due) != 4 {
		t.Fatalf("run %v %v", due, err)
	}
	outcomes := []campaigns.CallResult{
		{Outcome: campaigns.OutcomeCompleted, Answered: true, SIPStatus: 200},
		{Outcome: campaigns.OutcomePartial, Answered: true, SIPStatus: 200},
		{Outcome: campaigns.OutcomeBusy, SIPStatus: 486},
	}
	for i, r := range outcomes {
		a, err := s.BeginAttempt(ctx, due[i].TaskID, "tok", "w", occ.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		r.End = occ.Add(time.Hour)
		verdict := campaigns.VerdictDone
		if !r.Answered {
			verdict = campaigns.VerdictExhausted
		}
		if err := s.FinishAttempt(ctx, a, r, campaigns.Decision{Verdict: verdict}); err != nil {
			t.Fatal(err)
		}
		var ans []ivr.Answer
		if i == 0 {
			ans = []ivr.Answer{{Key: "temperature", Value: 37.9}, {Key: "symptoms", Value: "咳嗽"}}
		}
		if err := s.WriteResults(ctx, []Result{{AttemptID: a.ID, Outcome: r.Outcome, Answered: r.Answered,
			SIPStatus: r.SIPStatus, EndAt: r.End, Answers: ans}}); err != nil {
			t.Fatal(err)
		}
	}
	task, _ := s.Task(ctx, due[0].TaskID)
	if _, err := s.PutHealthRecord(ctx, HealthRecord{ResidentID: task.ResidentID, Day: occ, Status: HealthAbnormal, Temperature: 37.9}); err != nil {
		t.Fatal(err)
	}
	return c, occ
}

func TestDailyReport(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			c, occ := seedReport(t, s)
			rows, err := s.DailyReport(ctx, occ, nil, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []ReportRow{
				{Community: "建外社区", Due: 1, Unreached: 1},
				{Community: "永安里社区", Due: 3, Answered: 2, Completed: 2, Abnormal: 1, Unreached: 1},
				{Community: "合计", Due: 4, Answered: 2, Completed: 2, Abnormal: 1, Unreached: 2},
			}
			if len(rows) != len(want) {
				t.Fatalf("rows %+v", rows)
			}
			for i := range want {
				if rows[i] != want[i] {
					t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
				}
			}
			if _, err := s.CreateRun(ctx, 1, c, occ.Add(7*time.Hour)); err != nil { // 16:00 run: same residents
				t.Fatal(err)
			}
			if again, _ := s.DailyReport(ctx, occ, nil, c.ID); again[len(again)-1] != want[len(want)-1] {
				t.Errorf("second run of the day counted twice: %+v", again)
			}
			if next, _ := s.DailyReport(ctx, occ.AddDate(0, 0, 1), nil, 0); len(next) != 1 || next[0].Due != 0 {
				t.Errorf("next day: %+v", next)
			}
			var buf bytes.Buffer
			if err := s.ExportDailyReport(ctx, &buf, occ, c.ID, ExportOptions{Format: FormatXLSX}); err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := x.GetRows("日报")
			if len(got) != 4 || strings.Join(got[0], ",") != "社区,应呼,已接通,完成,异常,未接通" || got[3][0] != "合计" || got[3][1] != "4" {
				t.Fatalf("xlsx report %v", got)
			}
		})
	}
}

func TestExportCampaignMasking(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			c, _ := seedReport(t, s)
			var masked bytes.Buffer
			n, err := s.ExportCampaign(ctx, &masked, c.ID, ExportOptions{Format: FormatCSV, Actor: "viewer"})
			if err != nil || n != 4 {
				t.Fatalf("export %d %v", n, err)
			}
			if !bytes.HasPrefix(masked.Bytes(), utf8BOM) {
				t.Fatal("csv without BOM")
			}
			recs, err := csv.NewReader(bytes.NewReader(masked.Bytes()[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(recs[0], ",") != "姓名,电话,社区,网格,任务状态,最后结果,呼叫次数,最后呼叫时间,回答" {
				t.Fatalf("header %v", recs[0])
			}
			if strings.Contains(masked.String(), mobile(0)) || recs[1][1] != "138****0000" {
				t.Fatalf("masked export shows %q", recs[1][1])
			}
			if recs[1][4] != "已完成" || recs[1][5] != "completed" || recs[1][6] != "1" ||
				recs[1][7] != "2026-11-28 09:00:00" || recs[1][8] != "temperature=37.9; symptoms=咳嗽" {
				t.Fatalf("row %v", recs[1])
			}
			if log, _ := s.AuditLog(ctx, 0, 100); len(log) != 0 {
				t.Fatalf("masked export audited: %+v", log)
			}
			var full bytes.Buffer
			if _, err := s.ExportCampaign(ctx, &full, c.ID, ExportOptions{Format: FormatXLSX, Unmask: true, Actor: "chief"}); err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenReader(&full)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := x.GetRows("结果")
			if len(rows) != 5 || rows[1][1] != mobile(0) {
				t.Fatalf("unmasked xlsx %v", rows)
			}
			log, _ := s.AuditLog(ctx, 0, 100)
			if len(log) != 1 || log[0].Action != "export.unmasked" || log[0].Actor != "chief" {
				t.Fatalf("audit %+v", log)
			}
		})
	}
}
