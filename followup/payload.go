package followup

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"outreach/mask"
)

// Payload is the webhook's JSON body.
type Payload struct {
	ID    string       `json:"id"`
	Type  string       `json:"type"`
	At    time.Time    `json:"at"`
	Actor string       `json:"actor"`
	Note  string       `json:"note,omitempty"`
	Alert AlertPayload `json:"alert"`
}

// AlertPayload is the alert as sent. Name and Phone are masked unless the
// webhook is configured for plain text; notes are masked (runs of digits).
type AlertPayload struct {
	ID           int64      `json:"id"`
	Key          string     `json:"key"`
	Kind         string     `json:"kind"`
	Day          string     `json:"day"`
	Priority     string     `json:"priority"`
	Status       string     `json:"status"`
	ResidentID   int64      `json:"resident_id"`
	CommunityID  int64      `json:"community_id,omitempty"`
	Name         string     `json:"name,omitempty"`
	Phone        string     `json:"phone,omitempty"`
	Rule         string     `json:"rule,omitempty"`
	Note         string     `json:"note,omitempty"`
	Streak       int        `json:"streak,omitempty"`
	AssigneeID   int64      `json:"assignee_id,omitempty"`
	Notes        []NoteJSON `json:"notes,omitempty"`
	Created      time.Time  `json:"created"`
	Acknowledged *time.Time `json:"acknowledged,omitempty"`
	Resolved     *time.Time `json:"resolved,omitempty"`
}

// NoteJSON is a note as sent.
type NoteJSON struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

// encodePayload builds the body of ev. dir may be nil (no name or phone).
func encodePayload(ctx context.Context, ev Event, dir Directory, plaintext bool) ([]byte, error) {
	a := ev.Alert
	p := Payload{ID: ev.ID, Type: ev.Type.String(), At: ev.At.UTC(), Actor: ev.Actor, Note: ev.Note,
		Alert: AlertPayload{ID: a.ID, Key: a.Key, Kind: a.Kind, Day: a.Day.String(), Priority: a.Priority.String(),
			Status: a.Status.String(), ResidentID: a.ResidentID, CommunityID: a.CommunityID, Rule: a.Rule,
			Note: a.Note, Streak: a.Streak, AssigneeID: a.AssigneeID, Created: a.Created.UTC(),
			Acknowledged: optTime(a.Acknowledged), Resolved: optTime(a.Resolved)}}
	scrub := mask.Text
	if plaintext {
		scrub = func(s string) string { return s }
	}
	p.Note, p.Alert.Note = scrub(p.Note), scrub(p.Alert.Note)
	for _, n := range a.Notes {
		p.Alert.Notes = append(p.Alert.Notes, NoteJSON{At: n.At.UTC(), Actor: n.Actor, Text: scrub(n.Text)})
	}
	if dir != nil {
		c, err := dir.Contact(ctx, a.ResidentID)
		if err != nil {
			return nil, fmt.Errorf("encode event %s: resident %d: %w", ev.ID, a.ResidentID, err)
		}
		p.Alert.Name, p.Alert.Phone = mask.Name(c.Name), mask.Phone(c.Phone)
		if plaintext {
			p.Alert.Name, p.Alert.Phone = c.Name, c.Phone
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode event %s: %w", ev.ID, err)
	}
	return b, nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
