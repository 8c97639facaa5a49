package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"
)

// Role is what a user may do.
type Role uint8

// Roles, from the least to the most trusted.
const (
	RoleViewer     Role = iota // read progress and masked reports
	RoleGridWorker             // follow alerts in their grid
	RoleOperator               // run campaigns, import residents
	RoleSupervisor             // may unmask phone numbers in exports
	RoleAdmin                  // everything, users and keys
)

var roleNames = [...]string{"viewer", "grid_worker", "operator", "supervisor", "admin"}

// String returns the role's name.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// ParseRole is the inverse of String.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("parse role %q: unknown", s)
}

// CanUnmask reports whether the role may see full phone numbers.
func (r Role) CanUnmask() bool { return r >= RoleSupervisor }

// User is a staff account, scoped to an organisation unit and what lies below it.
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	Role         Role
	OrgUnitID    int64
	PasswordHash []byte // from the web package's hasher; opaque here
	Disabled     bool
	Created      time.Time
}

// CreateUser inserts u and returns its id.
func (s *Store) CreateUser(ctx context.Context, u User) (int64, error) {
	if u.Created.IsZero() {
		u.Created = s.now()
	}
	var id int64
	err := s.b.QueryRow(ctx, `INSERT INTO users (username, display_name, role, org_unit_id, password_hash, disabled, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (username) DO NOTHING RETURNING id`,
		u.Username, u.DisplayName, int(u.Role), nullID(u.OrgUnitID), u.PasswordHash, u.Disabled, u.Created).Scan(&id)
	if err == errNoRows {
		return 0, fmt.Errorf("create user %q: %w", u.Username, ErrDuplicate)
	}
	if err != nil {
		return 0, fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return id, nil
}

const userCols = `id, username, display_name, role, COALESCE(org_unit_id, 0), password_hash, disabled, created_at`

func scanUser(r row) (User, error) {
	var u User
	var role int
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.OrgUnitID, &u.PasswordHash, &u.Disabled, &u.Created)
	u.Role = Role(role)
	return u, err
}

// User returns one user.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.b.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err != nil {
		return User{}, notFound(err, "user", id)
	}
	return u, nil
}

// UserByName returns the user with that username.
func (s *Store) UserByName(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.b.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE username = $1`, username))
	if err != nil {
		return User{}, notFound(err, "user", username)
	}
	return u, nil
}

// CreateToken makes a new API token for a user. The plain token is returned
// once; only its SHA-256 is stored.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, expires time.Time) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	plain := "otk_" + base64.RawURLEncoding.EncodeToString(raw)
	_, err := s.b.Exec(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
		VALUES ($1,$2,$3,$4,$5)`, userID, name, tokenHash(plain), s.now(), expires)
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return plain, nil
}

func tokenHash(plain string) []byte {
	h := sha256.Sum256([]byte(plain))
	return h[:]
}

// Authenticate returns the enabled user owning a live token and records its use.
func (s *Store) Authenticate(ctx context.Context, token string) (User, error) {
	now := s.now()
	var uid int64
	err := s.b.QueryRow(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1
		AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) RETURNING user_id`,
		tokenHash(token), now).Scan(&uid)
	if err != nil {
		return User{}, notFound(err, "token", "")
	}
	u, err := s.User(ctx, uid)
	if err != nil {
		return User{}, err
	}
	if u.Disabled {
		return User{}, fmt.Errorf("token: user disabled: %w", ErrNotFound)
	}
	return u, nil
}

// RevokeToken revokes a token given in plain.
func (s *Store) RevokeToken(ctx context.Context, token string) error {
	n, err := s.b.Exec(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`,
		tokenHash(token), s.now())
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("revoke token: %w", ErrNotFound)
	}
	return nil
}

// Users lists every user by id.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rs, err := s.b.Query(ctx, `SELECT `+userCols+` FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rs.Close()
	var out []User
	for rs.Next() {
		u, err := scanUser(rs)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	return out, rs.Err()
}
