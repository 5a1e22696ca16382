package apptest

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Created is when the fixtures are made; Now is the clock of the services
// under test. They differ so that a test sees which one a time came from.
var (
	Created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	Now     = time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
)

// Clock is the clock of the services under test: it always reads Now.
func Clock() time.Time { return Now }

// RootEmail is the administrator e-mail Seeded configures.
const RootEmail = "root@example.com"

// Root is the configured administrator the fixtures act as. Its e-mail
// differs from RootEmail in case, as the console must match it anyway.
var Root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "Root@Example.com", Name: "Root Admin"}

// SealKey is the database_encryption_key of the tests.
var SealKey = []byte("0123456789abcdef0123456789abcdef")

// NewSealer returns a sealer of SealKey, stopping t when that fails.
func NewSealer(t testing.TB) *seal.Sealer {
	t.Helper()
	s, err := seal.New(SealKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Seeded seeds the fixture tree into s, stamped Created, and returns the
// callers of s with RootEmail as the configured administrator.
func Seeded(t testing.TB, s db.Store) Callers {
	t.Helper()
	SeedTree(t, s, Created)
	return Callers{Store: s, Admins: []string{RootEmail}, At: Created}
}

// Caller resolves Root when grants is nil, otherwise a user holding
// exactly grants. The user's id is made from the grants, so that two
// callers with other grants never share a user and so each other's roles.
func (c Callers) Caller(t testing.TB, grants Roles) *rbac.Access {
	t.Helper()
	if grants == nil {
		return c.Resolve(t, Root)
	}
	var id strings.Builder
	id.WriteString("u-caller")
	for _, ns := range slices.Sorted(maps.Keys(grants)) {
		id.WriteString(":" + ns + "=" + grants[ns].String())
	}
	return c.User(t, id.String(), grants)
}

// Writer is a caller a write must let through, named for the tables of
// "who may write".
type Writer struct {
	Name    string
	Resolve func(t testing.TB, c Callers) *rbac.Access
}

// Writers returns the callers holding role on nsID, a namespace below
// Global, each in its own way: the configured administrator, a user
// granted role on nsID, a group member holding role on Global, and
// nsID's recovery principal.
func Writers(nsID string, role rbac.Role) []Writer {
	return []Writer{
		{"configured administrator", func(t testing.TB, c Callers) *rbac.Access { return c.Caller(t, nil) }},
		{role.String() + " of the namespace", func(t testing.TB, c Callers) *rbac.Access { return c.Caller(t, Roles{nsID: role}) }},
		{role.String() + " inherited from Global", func(t testing.TB, c Callers) *rbac.Access { return c.Group(t, Global, role) }},
		{"recovery principal of the namespace", func(t testing.TB, c Callers) *rbac.Access { return c.Resolve(t, Recovery(nsID)) }},
	}
}
