package followup

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"outreach/campaigns"
)

// Counts are one day's figures: 应呼 Due, 已接通 Answered, 完成 Completed,
// 异常 Abnormal, 未接通 Unreachable (due and never answered).
type Counts struct {
	Due         int
	Answered    int
	Completed   int
	Abnormal    int
	Unreachable int
}

func (c *Counts) add(o Counts) {
	c.Due += o.Due
	c.Answered += o.Answered
	c.Completed += o.Completed
	c.Abnormal += o.Abnormal
	c.Unreachable += o.Unreachable
}

// CommunityCounts are the counts of one community (0 = none known).
type CommunityCounts struct {
	CommunityID int64
	Counts
}

// Visit is a resident a grid worker must follow up in person: every
// unresolved alert of the day, grouped by resident.
type Visit struct {
	ResidentID  int64
	CommunityID int64
	Kinds       []string // sorted
	Priority    Priority // the highest of the alerts
	Streak      int      // consecutive unreachable days, if unreachable
	AlertIDs    []int64
}

// DaySummary is the day's report.
type DaySummary struct {
	Day         campaigns.Date
	Communities []CommunityCounts // by community id
	Total       Counts
	Visits      []Visit // high priority first, then by community and resident
}

// Summarize computes day d's report from who was due, the records and the
// alerts the store returns (entries of other days are ignored). A resident
// with a record counts as due even if missing from due.
func Summarize(d campaigns.Date, due []Due, records []Record, alerts []Alert) DaySummary {
	community := map[int64]int64{}
	setCommunity := func(r, c int64) {
		if _, ok := community[r]; !ok || community[r] == 0 {
			community[r] = c
		}
	}
	for _, x := range due {
		setCommunity(x.ResidentID, x.CommunityID)
	}
	byResident := map[int64]Record{}
	for _, r := range records {
		if r.Day == d {
			byResident[r.ResidentID] = r
			setCommunity(r.ResidentID, r.CommunityID)
		}
	}
	abnormal := map[int64]bool{}
	visits := map[int64]*Visit{}
	for _, a := range alerts {
		if a.Day != d {
			continue
		}
		setCommunity(a.ResidentID, a.CommunityID)
		if a.Kind != KindUnreachable {
			abnormal[a.ResidentID] = true
		}
		if a.Open() {
			addVisit(visits, a)
		}
	}
	per := map[int64]*Counts{}
	for r, c := range community {
		if per[c] == nil {
			per[c] = &Counts{}
		}
		rec, ok := byResident[r]
		per[c].add(countOne(rec, ok, abnormal[r]))
	}
	return assemble(d, per, visits, community)
}

func countOne(rec Record, ok, abnormal bool) Counts {
	c := Counts{Due: 1}
	if ok && rec.Answered() {
		c.Answered = 1
	} else {
		c.Unreachable = 1
	}
	if ok && rec.Status == RecordCompleted {
		c.Completed = 1
	}
	if abnormal || (ok && rec.Abnormal()) {
		c.Abnormal = 1
	}
	return c
}

func addVisit(visits map[int64]*Visit, a Alert) {
	v := visits[a.ResidentID]
	if v == nil {
		v = &Visit{ResidentID: a.ResidentID}
		visits[a.ResidentID] = v
	}
	v.Kinds = appendUnique(v.Kinds, a.Kind)
	v.Priority = max(v.Priority, a.Priority)
	v.Streak = max(v.Streak, a.Streak)
	v.AlertIDs = append(v.AlertIDs, a.ID)
}

func assemble(d campaigns.Date, per map[int64]*Counts, visits map[int64]*Visit, community map[int64]int64) DaySummary {
	s := DaySummary{Day: d}
	for c, n := range per {
		s.Communities = append(s.Communities, CommunityCounts{CommunityID: c, Counts: *n})
		s.Total.add(*n)
	}
	slices.SortFunc(s.Communities, func(a, b CommunityCounts) int { return cmp.Compare(a.CommunityID, b.CommunityID) })
	for _, v := range visits {
		v.CommunityID = community[v.ResidentID]
		slices.Sort(v.Kinds)
		slices.Sort(v.AlertIDs)
		s.Visits = append(s.Visits, *v)
	}
	slices.SortFunc(s.Visits, func(a, b Visit) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), cmp.Compare(a.CommunityID, b.CommunityID),
			cmp.Compare(a.ResidentID, b.ResidentID))
	})
	return s
}

// SummarizeDay reads day d's records and alerts from r and summarizes them.
func SummarizeDay(ctx context.Context, r DayReader, d campaigns.Date, due []Due) (DaySummary, error) {
	recs, err := r.RecordsOn(ctx, d)
	if err != nil {
		return DaySummary{}, fmt.Errorf("summarize %s: records: %w", d, err)
	}
	alerts, err := r.AlertsOn(ctx, d)
	if err != nil {
		return DaySummary{}, fmt.Errorf("summarize %s: alerts: %w", d, err)
	}
	return Summarize(d, due, recs, alerts), nil
}
