package web

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// minPassword is the shortest password accepted.
const minPassword = 8

// HashPassword returns the bcrypt hash (default cost) stored in
// storage.User.PasswordHash.
func HashPassword(pw string) ([]byte, error) { return hashPassword(pw, bcrypt.DefaultCost) }

func hashPassword(pw string, cost int) ([]byte, error) {
	if len(pw) < minPassword {
		return nil, fmt.Errorf("hash password: shorter than %d characters", minPassword)
	}
	if len(pw) > 72 {
		return nil, errors.New("hash password: longer than 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// checkPassword compares in constant time; an empty hash never matches.
func checkPassword(hash []byte, pw string) bool {
	if len(hash) == 0 {
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(pw)) == nil
}

// dummyHash is compared against when the user does not exist, so that the
// time taken does not reveal which usernames exist.
var dummyHash = []byte("$2a$10$bV34DsMkOE8dIoyI49FxtukPcQIhuHIPObXJdHPSBB0alcGS/j48G")
