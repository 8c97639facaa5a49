package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/storage"
)

// StoreAdapter maps web's interfaces onto package storage. Lists are
// filtered by the caller's scope in SQL (the storage filters' Units); what
// storage lacks entirely returns ErrNotImplemented. See the report list in
// StorageGaps.
type StoreAdapter struct {
	S        *storage.Store
	F        *storage.Followup
	Service  *followup.Service // alert life cycle (events reach the webhook outbox)
	Location *time.Location
}

// StorageGaps lists what the adapter needs from storage to drop its
// workarounds.
var StorageGaps = []string{
	"alert list with the resident's name (one read per listed alert)", "targets by unit id (names resolve in the owner's subtree)",
	"a partial phone search (numbers are sealed: a bounded scan of the scope)",
	"ProgressSource (task counts by state and outcome, live attempts)", "Runs(ctx, campaignID)",
	"ScriptIDs(ctx) listing", "sessions and idempotency tables (multi-process API)", "MapHeader(cells) for the import preview",
}

// NewStoreAdapter wraps s; now nil means time.Now.
func NewStoreAdapter(s *storage.Store, now func() time.Time, loc *time.Location) (*StoreAdapter, error) {
	f := s.Followup()
	svc, err := followup.NewService(followup.Config{Records: f, Alerts: f, Now: now, Location: loc})
	if err != nil {
		return nil, fmt.Errorf("store adapter: %w", err)
	}
	return &StoreAdapter{S: s, F: f, Service: svc, Location: followup.Location("")}, nil
}

// Backends returns the adapter in every role.
func (a *StoreAdapter) Backends() Backends {
	return Backends{Directory: a, Residents: a, Campaigns: a, Alerts: a, Calls: a, Exports: a, Audit: a.S,
		Ready: a, Summaries: a}
}

// Ping checks the database.
func (a *StoreAdapter) Ping(ctx context.Context) error { return a.S.Ping(ctx) }

// --- Directory ---

func (a *StoreAdapter) UserByName(ctx context.Context, n string) (storage.User, error) {
	return a.S.UserByName(ctx, n)
}
func (a *StoreAdapter) User(ctx context.Context, id int64) (storage.User, error) {
	return a.S.User(ctx, id)
}
func (a *StoreAdapter) CreateUser(ctx context.Context, u storage.User) (int64, error) {
	return a.S.CreateUser(ctx, u)
}
func (a *StoreAdapter) CreateToken(ctx context.Context, uid int64, name string, exp time.Time) (string, error) {
	return a.S.CreateToken(ctx, uid, name, exp)
}
func (a *StoreAdapter) Authenticate(ctx context.Context, tok string) (storage.User, error) {
	return a.S.Authenticate(ctx, tok)
}
func (a *StoreAdapter) RevokeToken(ctx context.Context, tok string) error {
	return a.S.RevokeToken(ctx, tok)
}
func (a *StoreAdapter) OrgUnits(ctx context.Context) ([]storage.OrgUnit, error) {
	return a.S.OrgUnits(ctx)
}
func (a *StoreAdapter) EnsureOrgUnit(ctx context.Context, l storage.Level, parent int64, name string) (int64, error) {
	return a.S.EnsureOrgUnit(ctx, l, parent, name)
}

// Users lists every account.
func (a *StoreAdapter) Users(ctx context.Context) ([]storage.User, error) { return a.S.Users(ctx) }

// --- Residents ---

func inScope(sc Scope, r storage.Resident) bool { return sc.Has(r.CommunityID) || sc.Has(r.GridID) }

// Residents lists the residents in scope: a whole number (11+ digits) is
// found through the phone index, other text by name, both in SQL; a part
// of a number (4-10 digits) is matched against the unsealed numbers of the
// scope's residents, a bounded scan (numbers are sealed at rest).
func (a *StoreAdapter) Residents(ctx context.Context, sc Scope, q ResidentQuery) ([]storage.Resident, error) {
	if q.CommunityID != 0 && !sc.Has(q.CommunityID) {
		return nil, fmt.Errorf("residents of community %d: %w", q.CommunityID, ErrForbidden)
	}
	f := storage.ResidentFilter{CommunityID: q.CommunityID, Units: sc.IDs(), AfterID: q.AfterID, Limit: q.Limit}
	digits := onlyDigits(q.Q)
	switch {
	case q.Q == "":
	case digits == q.Q && len(digits) >= 4 && len(digits) < 11:
		return a.residentsByPartialPhone(ctx, f, digits)
	case len(digits) >= 11:
		e164, err := campaigns.NormalizePhone(q.Q)
		if err != nil {
			f.Name = q.Q
			break
		}
		f.Phone = e164
	default:
		f.Name = q.Q
	}
	return a.S.Residents(ctx, f)
}

// partialScanLimit bounds the residents a partial phone search unseals.
const partialScanLimit = 20000

func (a *StoreAdapter) residentsByPartialPhone(ctx context.Context, f storage.ResidentFilter, digits string) ([]storage.Resident, error) {
	want := f.Limit
	if want <= 0 {
		want = 100
	}
	f.Limit = 500
	var out []storage.Resident
	for scanned := 0; len(out) < want && scanned < partialScanLimit; scanned += f.Limit {
		page, err := a.S.Residents(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			if strings.Contains(r.Phone, digits) && len(out) < want {
				out = append(out, r)
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.AfterID = page[len(page)-1].ID
	}
	return out, nil
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (a *StoreAdapter) Resident(ctx context.Context, sc Scope, id int64) (storage.Resident, error) {
	r, err := a.S.Resident(ctx, id)
	if err != nil {
		return r, err
	}
	if !inScope(sc, r) {
		return storage.Resident{}, fmt.Errorf("resident %d: %w", id, ErrForbidden)
	}
	return r, nil
}

func (a *StoreAdapter) CreateResident(ctx context.Context, sc Scope, r storage.Resident) (int64, error) {
	if !inScope(sc, r) {
		return 0, fmt.Errorf("create resident: %w", ErrForbidden)
	}
	return a.S.CreateResident(ctx, r)
}

func (a *StoreAdapter) UpdateResident(ctx context.Context, sc Scope, r storage.Resident) error {
	if _, err := a.Resident(ctx, sc, r.ID); err != nil {
		return err
	}
	if !inScope(sc, r) {
		return fmt.Errorf("move resident %d: %w", r.ID, ErrForbidden)
	}
	return a.S.UpdateResident(ctx, r)
}

func (a *StoreAdapter) DeleteResident(ctx context.Context, sc Scope, actor string, id int64) error {
	if _, err := a.Resident(ctx, sc, id); err != nil {
		return err
	}
	return a.S.DeleteResident(ctx, actor, id)
}

func (a *StoreAdapter) Observations(ctx context.Context, sc Scope, rid int64) ([]storage.Observation, error) {
	if _, err := a.Resident(ctx, sc, rid); err != nil {
		return nil, err
	}
	return a.S.Observations(ctx, rid)
}

func (a *StoreAdapter) AddObservation(ctx context.Context, sc Scope, o storage.Observation) (int64, error) {
	if _, err := a.Resident(ctx, sc, o.ResidentID); err != nil {
		return 0, err
	}
	return a.S.AddObservation(ctx, o)
}

func (a *StoreAdapter) SetRelease(ctx context.Context, sc Scope, rid, oid int64, rel time.Time) error {
	list, err := a.Observations(ctx, sc, rid)
	if err != nil {
		return err
	}
	for _, o := range list {
		if o.ID == oid {
			return a.S.SetRelease(ctx, oid, rel)
		}
	}
	return fmt.Errorf("observation %d of resident %d: %w", oid, rid, storage.ErrNotFound)
}

// UnderObservation lists the residents in scope under observation on day
// (every page: the list is the day's calling list).
func (a *StoreAdapter) UnderObservation(ctx context.Context, sc Scope, day time.Time) ([]storage.Observed, error) {
	var out []storage.Observed
	f := storage.ObservedFilter{Day: day, Units: sc.IDs(), Limit: 1000}
	for {
		page, err := a.S.UnderObservation(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		last := page[len(page)-1]
		f.AfterID, f.AfterObservationID = last.ResidentID, last.Observation.ID
	}
}
