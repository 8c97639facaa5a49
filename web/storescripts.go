package web

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"outreach/storage"
)

// StoreScripts keeps scripts in storage (the table the robot loads them
// from), so a campaign's "id@version" resolves the same everywhere.
type StoreScripts struct{ S *storage.Store }

func (st StoreScripts) view(v storage.ScriptVersion) ScriptVersion {
	out := ScriptVersion{ID: v.ScriptID, Version: v.Version, Digest: v.Digest, Uploaded: v.Created, By: v.CreatedBy}
	if _, sum := checkScript(v.Source); sum.ID != "" {
		out.Nodes, out.Questions = sum.Nodes, sum.Questions
	}
	return out
}

// Put stores src as the next version (the same digest as the newest keeps it).
func (st StoreScripts) Put(ctx context.Context, v ScriptVersion, src []byte) (ScriptVersion, error) {
	if !scriptIDPattern.MatchString(v.ID) {
		return v, fmt.Errorf("script id %q: letters, digits, _ . - only: %w", v.ID, errBadID)
	}
	sv, err := st.S.SaveScript(ctx, v.ID, v.Digest, src, v.By)
	if err != nil {
		return v, err
	}
	return st.view(sv), nil
}

// Versions lists id's versions, oldest first.
func (st StoreScripts) Versions(ctx context.Context, id string) ([]ScriptVersion, error) {
	list, err := st.S.ScriptVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]ScriptVersion, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, st.view(list[i]))
	}
	return out, nil
}

// Latest returns id's newest version.
func (st StoreScripts) Latest(ctx context.Context, id string) (ScriptVersion, error) {
	v, err := st.S.Script(ctx, id)
	if err != nil {
		return ScriptVersion{}, err
	}
	return st.view(v), nil
}

// Get returns a version's source (0 = newest).
func (st StoreScripts) Get(ctx context.Context, id string, version int) ([]byte, ScriptVersion, error) {
	ref := id
	if version > 0 {
		ref = id + "@" + strconv.Itoa(version)
	}
	v, err := st.S.Script(ctx, ref)
	if err != nil {
		return nil, ScriptVersion{}, err
	}
	return v.Source, st.view(v), nil
}

// List returns the newest version of each script. Storage has no id
// listing yet, so the ids come from the audit log's script.save rows.
func (st StoreScripts) List(ctx context.Context) ([]ScriptVersion, error) {
	ids := map[string]bool{}
	after := int64(0)
	for range 50 {
		page, err := st.S.AuditLog(ctx, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if e.Action == "script.save" {
				id, _, _ := strings.Cut(e.Subject, "@")
				ids[id] = true
			}
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].ID
	}
	var out []ScriptVersion
	for id := range ids {
		v, err := st.Latest(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
