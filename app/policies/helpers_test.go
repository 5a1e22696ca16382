package policies_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// The shared fixture tree (apptest.SeedTree):
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
const (
	global = apptest.Global
	eng    = apptest.Eng
	prod   = apptest.Prod
	dev    = apptest.Dev
	fin    = apptest.Fin
)

// created is when the fixtures were made, now the service's clock and
// root the configured administrator the fixtures act as.
var created, now, root = apptest.Created, apptest.Now, apptest.Root

// Policy sources of the fixtures.
const (
	allowEngineers = "allow:\n  and:\n    - domain:\n        is: example.com\n    - groups:\n        has: engineers\n"
	denyContractor = "deny:\n  or:\n    - email:\n        ends_with: \"@contractor.example.com\"\n"
)

// env is a seeded store, its callers (root configured as administrator)
// and a Service over it.
type env struct {
	apptest.Callers
	svc *policies.Service
}

// newEnv seeds the fixture tree into s; the service compiles with compile
// (policies.CompilePPL when nil) and asks users before deleting.
func newEnv(t *testing.T, s db.Store, compile policies.Compiler, users ...policies.Users) *env {
	t.Helper()
	if compile == nil {
		compile = policies.CompilePPL
	}
	return &env{Callers: apptest.Seeded(t, s), svc: policies.NewService(s, apptest.Clock, compile, users...)}
}

// seed creates a policy as root through the service, stopping t on error.
func (e *env) seed(t *testing.T, in policies.Input) db.Policy {
	t.Helper()
	p, err := e.svc.Create(t.Context(), e.Resolve(t, root), in)
	if err != nil {
		t.Fatalf("seed %q: %v", in.Name, err)
	}
	return p
}

// put stores p straight in the store, stamped created, with its Rego
// compiled and no activity entry; for arranging a test.
func (e *env) put(t *testing.T, p db.Policy) db.Policy {
	t.Helper()
	p.Rego, p.CreatedAt, p.ModifiedAt = compiled(t, p.PPL), created, created
	if err := e.Store.CreatePolicy(t.Context(), p); err != nil {
		t.Fatalf("put %q: %v", p.Name, err)
	}
	return p
}

// compiled is what the service must store as the Rego of src.
func compiled(t testing.TB, src string) string {
	t.Helper()
	p, err := ppl.Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	module, err := rego.CompileChecked(p, rego.Options{})
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	return module
}

// snap is a policy as the activity log shows it.
type snap struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Explanation string `json:"explanation"`
	Remediation string `json:"remediation"`
	Enforced    bool   `json:"enforced"`
	PPL         string `json:"ppl"`
}

// snapOf is the snapshot the log must hold for p.
func snapOf(p db.Policy) *snap {
	return &snap{
		ID: p.ID, NamespaceID: p.NamespaceID, Name: p.Name, Description: p.Description,
		Explanation: p.Explanation, Remediation: p.Remediation, Enforced: p.Enforced, PPL: p.PPL,
	}
}

// wantEntry checks e against want, and its sides against before and after
// (nil: that side must be empty). ID and CreatedAt are checked against the
// clock.
func wantEntry(t *testing.T, e, want db.ActivityEntry, before, after *snap) {
	t.Helper()
	if !e.CreatedAt.Equal(now.Truncate(time.Millisecond)) {
		t.Errorf("CreatedAt = %v, want %v", e.CreatedAt, now)
	}
	if e.ID == "" {
		t.Error("entry has no id")
	}
	for _, side := range []struct {
		name string
		got  string
		want *snap
	}{{"Before", e.Before, before}, {"After", e.After, after}} {
		got := apptest.DecodeSnapshot[snap](t, side.got)
		if (got == nil) != (side.want == nil) || (got != nil && *got != *side.want) {
			t.Errorf("%s = %+v, want %+v", side.name, got, side.want)
		}
	}
	if e.ConfigRevision == 0 {
		t.Error("the entry has no configuration revision: it belongs to no changeset")
	}
	e.ID, e.CreatedAt, e.Before, e.After, e.ConfigRevision = "", time.Time{}, "", "", 0
	want.EntityType = activity.EntityPolicy
	if e != want {
		t.Errorf("entry =\n%+v, want\n%+v", e, want)
	}
}

// stored reads policy id back, stopping t when it is missing.
func stored(t *testing.T, s db.Store, id string) db.Policy {
	t.Helper()
	p, err := s.GetPolicy(t.Context(), id)
	if err != nil {
		t.Fatalf("get policy %s: %v", id, err)
	}
	return p
}

// wantStored checks the store holds exactly want for want.ID, its times at
// the store's millisecond precision.
func wantStored(t *testing.T, s db.Store, want db.Policy) {
	t.Helper()
	want.CreatedAt = want.CreatedAt.Truncate(time.Millisecond).UTC()
	want.ModifiedAt = want.ModifiedAt.Truncate(time.Millisecond).UTC()
	if got := stored(t, s, want.ID); got != want {
		t.Errorf("stored\n%+v, want\n%+v", got, want)
	}
}
