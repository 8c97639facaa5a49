package storage

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"outreach/campaigns"
	"outreach/mask"
)

// ExportOptions says how to export.
type ExportOptions struct {
	Format Format
	// Unmask writes full phone numbers. The caller sets it only for a user
	// whose role may unmask (Role.CanUnmask); every unmasked export is audited.
	Unmask bool
	Actor  string         // the user, for the audit log
	Zone   *time.Location // times and days; nil = Asia/Shanghai
}

func (o ExportOptions) zone() *time.Location {
	if o.Zone != nil {
		return o.Zone
	}
	return zone("")
}

var campaignHeader = []any{"姓名", "电话", "社区", "网格", "任务状态", "最后结果", "呼叫次数", "最后呼叫时间", "回答"}

// exportPage is the number of tasks read per query.
const exportPage = 1000

// ExportCampaign writes one row per task of a campaign (every run) with its
// last attempt's answers, streaming page by page. It returns the rows written.
func (s *Store) ExportCampaign(ctx context.Context, w io.Writer, campaignID int64, opt ExportOptions) (int, error) {
	if err := s.auditExport(ctx, opt, fmt.Sprintf("campaign:%d", campaignID)); err != nil {
		return 0, err
	}
	sw, err := newSheetWriter(w, opt.Format, "结果")
	if err != nil {
		return 0, fmt.Errorf("export campaign %d: %w", campaignID, err)
	}
	if err := sw.Row(campaignHeader); err != nil {
		return 0, fmt.Errorf("export campaign %d: %w", campaignID, err)
	}
	n, after := 0, int64(0)
	for {
		rows, last, err := s.exportPage(ctx, campaignID, after, opt)
		if err != nil {
			return n, fmt.Errorf("export campaign %d: %w", campaignID, err)
		}
		for _, r := range rows {
			if err := sw.Row(r); err != nil {
				return n, fmt.Errorf("export campaign %d: %w", campaignID, err)
			}
		}
		n += len(rows)
		if len(rows) < exportPage {
			break
		}
		after = last
	}
	if err := sw.Close(); err != nil {
		return n, fmt.Errorf("export campaign %d: %w", campaignID, err)
	}
	return n, nil
}

func (s *Store) auditExport(ctx context.Context, opt ExportOptions, subject string) error {
	if !opt.Unmask {
		return nil
	}
	return s.Audit(ctx, AuditEntry{Actor: opt.Actor, Action: "export.unmasked", Subject: subject, Detail: opt.Format.String()})
}

var taskStateZH = map[campaigns.TaskState]string{campaigns.TaskQueued: "待呼叫", campaigns.TaskDialing: "呼叫中",
	campaigns.TaskDone: "已完成", campaigns.TaskStopped: "已停止", campaigns.TaskExhausted: "未接通(转人工)",
	campaigns.TaskCancelled: "已取消"}

func (s *Store) exportPage(ctx context.Context, campaignID, after int64, opt ExportOptions) ([][]any, int64, error) {
	rs, err := s.b.Query(ctx, `SELECT t.id, r.name, r.phone_enc, COALESCE(c.name, ''), COALESCE(g.name, ''), t.state,
		t.outcomes, (SELECT COUNT(*) FROM attempts a WHERE a.task_id = t.id),
		COALESCE((SELECT MAX(a.id) FROM attempts a WHERE a.task_id = t.id), 0)
		FROM tasks t JOIN residents r ON r.id = t.resident_id
		LEFT JOIN org_units c ON c.id = r.community_id LEFT JOIN org_units g ON g.id = r.grid_id
		WHERE t.campaign_id = $1 AND t.id > $2 ORDER BY t.id LIMIT $3`, campaignID, after, exportPage)
	if err != nil {
		return nil, 0, err
	}
	var (
		out      [][]any
		attempts []int64
		last     int64
	)
	for rs.Next() {
		var (
			id, calls, attempt         int64
			name, comm, grid, outcomes string
			phone                      []byte
			state                      int
		)
		if err := rs.Scan(&id, &name, &phone, &comm, &grid, &state, &outcomes, &calls, &attempt); err != nil {
			rs.Close()
			return nil, 0, err
		}
		p, err := s.open(phone)
		if err != nil {
			rs.Close()
			return nil, 0, err
		}
		p = national(p)
		if !opt.Unmask {
			p = mask.Phone(p)
		}
		list := splitList(outcomes)
		lastOutcome := ""
		if len(list) > 0 {
			lastOutcome = list[len(list)-1]
		}
		out = append(out, []any{name, p, comm, grid, taskStateZH[campaigns.TaskState(state)], lastOutcome, calls, "", ""})
		attempts = append(attempts, attempt)
		last = id
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, 0, err
	}
	return out, last, s.fillLastAttempts(ctx, out, attempts, opt.zone())
}

// fillLastAttempts sets the last call time and the answers of each row.
func (s *Store) fillLastAttempts(ctx context.Context, rows [][]any, attempts []int64, loc *time.Location) error {
	idx := map[int64]int{}
	var args []any
	var ph []string
	for i, a := range attempts {
		if a != 0 {
			idx[a] = i
			args = append(args, a)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
	}
	if len(args) == 0 {
		return nil
	}
	in := strings.Join(ph, ",")
	rs, err := s.b.Query(ctx, `SELECT id, invite_at FROM attempts WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for rs.Next() {
		var id int64
		var at time.Time
		if err := rs.Scan(&id, &at); err != nil {
			rs.Close()
			return err
		}
		rows[idx[id]][7] = at.In(loc).Format("2006-01-02 15:04:05")
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	answers, err := s.answersWhere(ctx, `attempt_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for id, list := range answers {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = fmt.Sprintf("%s=%v", x.Key, x.Value)
		}
		rows[idx[id]][8] = strings.Join(parts, "; ")
	}
	return nil
}

// national writes a Chinese E.164 number the way staff dial it
// (+8613812345678 → 13812345678, +861065123456 → 01065123456).
func national(e164 string) string {
	rest, ok := strings.CutPrefix(e164, "+86")
	switch {
	case !ok || rest == "":
		return e164
	case rest[0] == '1' && len(rest) == 11:
		return rest
	}
	return "0" + rest
}
