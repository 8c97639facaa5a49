package storage

import (
	"context"
	"fmt"
	"io"
	"time"

	"outreach/campaigns"
)

// ReportRow is one community's line of the daily report; every figure
// counts residents (one called at 09:00 and 16:00 counts once).
type ReportRow struct {
	Community string
	Due       int // 应呼: residents with a task in the day's runs
	Answered  int // 已接通: of those, residents who answered a call
	Completed int // 完成: residents with a task done
	Abnormal  int // 异常: residents with an abnormal health record that day
	Unreached int // 未接通: Due − Answered
}

// DailyReport counts, per community, the residents of the runs that happened on
// day d (a calendar day in loc; nil = Asia/Shanghai), for one campaign or all
// (campaignID 0). The last row is the total (合计).
func (s *Store) DailyReport(ctx context.Context, d time.Time, loc *time.Location, campaignID int64) ([]ReportRow, error) {
	if loc == nil {
		loc = zone("")
	}
	local := d.In(loc)
	from := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 1)
	rs, err := s.b.Query(ctx, `SELECT COALESCE(o.name, ''), COUNT(DISTINCT t.resident_id),
		COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM attempts a WHERE a.task_id = t.id AND a.answered)
			THEN t.resident_id END),
		COUNT(DISTINCT CASE WHEN t.state = $4 THEN t.resident_id END),
		COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM health_records h WHERE h.resident_id = t.resident_id
			AND h.day = $5 AND h.status = $6) THEN t.resident_id END)
		FROM tasks t JOIN runs r ON r.id = t.run_id JOIN residents res ON res.id = t.resident_id
		LEFT JOIN org_units o ON o.id = res.community_id
		WHERE r.occurrence >= $1 AND r.occurrence < $2 AND ($3 = 0 OR t.campaign_id = $3)
		GROUP BY COALESCE(o.name, '') ORDER BY COALESCE(o.name, '')`,
		from, to, campaignID, int(campaigns.TaskDone), day(local), int(HealthAbnormal))
	if err != nil {
		return nil, fmt.Errorf("daily report: %w", err)
	}
	defer rs.Close()
	var out []ReportRow
	total := ReportRow{Community: "合计"}
	for rs.Next() {
		var r ReportRow
		if err := rs.Scan(&r.Community, &r.Due, &r.Answered, &r.Completed, &r.Abnormal); err != nil {
			return nil, fmt.Errorf("daily report: %w", err)
		}
		if r.Community == "" {
			r.Community = "(未分配社区)"
		}
		r.Unreached = r.Due - r.Answered
		total.Due, total.Answered, total.Completed = total.Due+r.Due, total.Answered+r.Answered, total.Completed+r.Completed
		total.Abnormal, total.Unreached = total.Abnormal+r.Abnormal, total.Unreached+r.Unreached
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("daily report: %w", err)
	}
	return append(out, total), nil
}

// ExportDailyReport writes the daily report with Chinese headers. It holds
// counts only, no personal data.
func (s *Store) ExportDailyReport(ctx context.Context, w io.Writer, d time.Time, campaignID int64, opt ExportOptions) error {
	rows, err := s.DailyReport(ctx, d, opt.zone(), campaignID)
	if err != nil {
		return err
	}
	sw, err := newSheetWriter(w, opt.Format, "日报")
	if err != nil {
		return fmt.Errorf("export daily report: %w", err)
	}
	if err := sw.Row([]any{"社区", "应呼", "已接通", "完成", "异常", "未接通"}); err != nil {
		return fmt.Errorf("export daily report: %w", err)
	}
	for _, r := range rows {
		if err := sw.Row([]any{r.Community, r.Due, r.Answered, r.Completed, r.Abnormal, r.Unreached}); err != nil {
			return fmt.Errorf("export daily report: %w", err)
		}
	}
	if err := sw.Close(); err != nil {
		return fmt.Errorf("export daily report: %w", err)
	}
	return nil
}
