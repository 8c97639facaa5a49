package web

import (
	"context"
	"io"
	"time"

	"outreach/campaigns"
	"outreach/dialer"
	"outreach/followup"
	"outreach/storage"
)

// Directory is the accounts and the organisation tree.
type Directory interface {
	UserByName(ctx context.Context, username string) (storage.User, error)
	User(ctx context.Context, id int64) (storage.User, error)
	Users(ctx context.Context) ([]storage.User, error)
	CreateUser(ctx context.Context, u storage.User) (int64, error)
	CreateToken(ctx context.Context, userID int64, name string, expires time.Time) (string, error)
	Authenticate(ctx context.Context, token string) (storage.User, error)
	RevokeToken(ctx context.Context, token string) error
	OrgUnits(ctx context.Context) ([]storage.OrgUnit, error)
	EnsureOrgUnit(ctx context.Context, level storage.Level, parentID int64, name string) (int64, error)
}

// ResidentQuery selects residents inside a scope.
type ResidentQuery struct {
	Q           string // name substring or phone digits
	CommunityID int64
	AfterID     int64
	Limit       int
}

// Residents is the resident register. Rows outside sc give ErrForbidden.
type Residents interface {
	Residents(ctx context.Context, sc Scope, q ResidentQuery) ([]storage.Resident, error)
	Resident(ctx context.Context, sc Scope, id int64) (storage.Resident, error)
	CreateResident(ctx context.Context, sc Scope, r storage.Resident) (int64, error)
	UpdateResident(ctx context.Context, sc Scope, r storage.Resident) error
	DeleteResident(ctx context.Context, sc Scope, actor string, id int64) error
	Import(ctx context.Context, sc Scope, r io.Reader, format string, opt storage.ImportOptions) (storage.ImportReport, error)
	Observations(ctx context.Context, sc Scope, residentID int64) ([]storage.Observation, error)
	AddObservation(ctx context.Context, sc Scope, o storage.Observation) (int64, error)
	SetRelease(ctx context.Context, sc Scope, residentID, observationID int64, release time.Time) error
	UnderObservation(ctx context.Context, sc Scope, day time.Time) ([]storage.Observed, error)
}

// Campaigns is the campaign register (state changes go through Runner).
type Campaigns interface {
	Campaigns(ctx context.Context, sc Scope) ([]campaigns.Campaign, error)
	Campaign(ctx context.Context, sc Scope, id int64) (campaigns.Campaign, error)
	CreateCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) (int64, error)
	UpdateCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) error
}

// AlertView is an alert with what the queue shows about its resident.
type AlertView struct {
	ID           int64
	ResidentID   int64
	ResidentName string
	CommunityID  int64
	Kind         string
	Day          string // YYYY-MM-DD
	High         bool   // high priority (escalated)
	Streak       int    // consecutive unreachable days
	Status       storage.AlertStatus
	AttemptID    int64
	AssigneeID   int64
	Notes        string
	Created      time.Time
	Acknowledged time.Time
	Resolved     time.Time
}

// AlertQuery selects alerts; zero fields do not filter.
type AlertQuery struct {
	Status     storage.AlertStatus
	ResidentID int64
	AssigneeID int64
	Limit      int
}

// Alerts is the follow-up queue. Alerts of residents outside sc give
// ErrForbidden; a change the status forbids gives storage.ErrAlertState or
// followup.ErrTransition.
type Alerts interface {
	Alerts(ctx context.Context, sc Scope, q AlertQuery) ([]AlertView, error)
	Alert(ctx context.Context, sc Scope, id int64) (AlertView, error)
	Acknowledge(ctx context.Context, sc Scope, id int64, actor string, assigneeID int64, note string) error
	Resolve(ctx context.Context, sc Scope, id int64, actor, note string) error
	Assign(ctx context.Context, sc Scope, id int64, actor string, assigneeID int64) error
}

// CallQuery selects call attempts.
type CallQuery struct {
	CampaignID int64
	ResidentID int64
	Outcome    string
	AfterID    int64
	Limit      int
}

// Timeline is one resident's history, newest first.
type Timeline struct {
	Resident     storage.Resident
	Observations []storage.Observation
	Calls        []storage.AttemptRecord
	Health       []storage.HealthRecord
	Alerts       []AlertView
}

// Calls is the call and answer history.
type Calls interface {
	Calls(ctx context.Context, sc Scope, q CallQuery) ([]storage.AttemptRecord, error)
	Call(ctx context.Context, sc Scope, id int64) (storage.AttemptRecord, error)
	Timeline(ctx context.Context, sc Scope, residentID int64) (Timeline, error)
}

// Exports writes reports.
type Exports interface {
	ExportCampaign(ctx context.Context, sc Scope, w io.Writer, campaignID int64, opt storage.ExportOptions) (int, error)
}

// Auditor appends and reads the audit log.
type Auditor interface {
	Audit(ctx context.Context, e storage.AuditEntry) error
	AuditLog(ctx context.Context, afterID int64, limit int) ([]storage.AuditEntry, error)
}

// Pinger says whether the store answers (for /readyz).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Summaries computes today's figures (应呼/已接通/完成/异常/未接通) in a scope.
type Summaries interface {
	Today(ctx context.Context, sc Scope) (followup.Counts, error)
}

// Trunks reports the SIP trunks; *dialer.Dialer implements it.
type Trunks interface {
	Status() []dialer.TrunkStatus
}

// Backends bundles what the server reads and writes.
type Backends struct {
	Directory Directory
	Residents Residents
	Campaigns Campaigns
	Alerts    Alerts
	Calls     Calls
	Exports   Exports
	Audit     Auditor
	Ready     Pinger
	Summaries Summaries // nil: the dashboard shows no day figures
}
