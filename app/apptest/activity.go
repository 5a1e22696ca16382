package apptest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Actor returns e with the actor fields an entry made by p carries.
func Actor(p authn.Principal, e db.ActivityEntry) db.ActivityEntry {
	e.UserID, e.UserName, e.UserEmail, e.AuthMethod = p.UserID, p.DisplayName(), p.Email, p.Kind
	e.ServiceAccountID = p.ServiceAccountID
	return e
}

// DecodeSnapshot reads one side (Before or After) of an activity entry into
// a T, rejecting fields T lacks so that a snapshot cannot grow unnoticed;
// it returns nil for "", the side a create or delete leaves empty.
func DecodeSnapshot[T any](t testing.TB, side string) *T {
	t.Helper()
	if side == "" {
		return nil
	}
	out := new(T)
	dec := json.NewDecoder(strings.NewReader(side))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("decode snapshot %s: %v", side, err)
	}
	return out
}
