package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ScriptVersion is one stored version of a script.
type ScriptVersion struct {
	ScriptID  string
	Version   int
	Digest    string
	Source    []byte
	CreatedBy string
	Created   time.Time
}

// Ref is how a campaign pins this version: "id@version".
func (v ScriptVersion) Ref() string { return v.ScriptID + "@" + strconv.Itoa(v.Version) }

// SaveScript stores source as the next version of scriptID, unless the
// newest version already has the same digest (then that version is
// returned). The caller has validated the script (ivr.Check).
func (s *Store) SaveScript(ctx context.Context, scriptID, digest string, source []byte, actor string) (ScriptVersion, error) {
	if scriptID == "" || strings.ContainsAny(scriptID, "@\r\n") {
		return ScriptVersion{}, fmt.Errorf("save script: bad id %q", scriptID)
	}
	var out ScriptVersion
	created := false
	err := inTx(ctx, s.b, func(t tx) error {
		latest, err := s.latestScript(ctx, t, scriptID)
		if err == nil && latest.Digest == digest {
			out = latest
			return nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		created = true
		out = ScriptVersion{ScriptID: scriptID, Version: latest.Version + 1, Digest: digest, Source: source,
			CreatedBy: actor, Created: s.now()}
		_, err = t.Exec(ctx, `INSERT INTO scripts (script_id, version, digest, source, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6)`, out.ScriptID, out.Version, out.Digest, out.Source, out.CreatedBy, timeArg(out.Created))
		return err
	})
	if err != nil {
		return ScriptVersion{}, fmt.Errorf("save script %s: %w", scriptID, err)
	}
	if created {
		if err := s.Audit(ctx, AuditEntry{Actor: actor, Action: "script.save", Subject: out.Ref(), Detail: digest}); err != nil {
			return out, fmt.Errorf("save script %s: %w", scriptID, err)
		}
	}
	return out, nil
}

// Script returns a pinned version ("id@version"), or the newest version of
// a bare id.
func (s *Store) Script(ctx context.Context, ref string) (ScriptVersion, error) {
	id, ver, pinned := strings.Cut(ref, "@")
	if !pinned {
		return s.latestScript(ctx, s.b, id)
	}
	v, err := strconv.Atoi(ver)
	if err != nil || v <= 0 {
		return ScriptVersion{}, fmt.Errorf("script %q: bad version", ref)
	}
	sv, err := scanScript(s.b.QueryRow(ctx, `SELECT `+scriptCols+` FROM scripts WHERE script_id = $1 AND version = $2`, id, v))
	if err != nil {
		return ScriptVersion{}, notFound(err, "script", ref)
	}
	return sv, nil
}

// ScriptVersions lists every version of a script, newest first.
func (s *Store) ScriptVersions(ctx context.Context, scriptID string) ([]ScriptVersion, error) {
	rows, err := s.b.Query(ctx, `SELECT `+scriptCols+` FROM scripts WHERE script_id = $1 ORDER BY version DESC`, scriptID)
	if err != nil {
		return nil, fmt.Errorf("script versions: %w", err)
	}
	defer rows.Close()
	var out []ScriptVersion
	for rows.Next() {
		sv, err := scanScript(rows)
		if err != nil {
			return nil, fmt.Errorf("script versions: %w", err)
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

const scriptCols = `script_id, version, digest, source, created_by, created_at`

func (s *Store) latestScript(ctx context.Context, q querier, id string) (ScriptVersion, error) {
	sv, err := scanScript(q.QueryRow(ctx, `SELECT `+scriptCols+` FROM scripts WHERE script_id = $1 ORDER BY version DESC LIMIT 1`, id))
	if err != nil {
		return ScriptVersion{}, notFound(err, "script", id)
	}
	return sv, nil
}

func scanScript(r row) (ScriptVersion, error) {
	var sv ScriptVersion
	err := r.Scan(&sv.ScriptID, &sv.Version, &sv.Digest, &sv.Source, &sv.CreatedBy, &sv.Created)
	return sv, err
}
