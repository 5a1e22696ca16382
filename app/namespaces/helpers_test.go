package namespaces_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// The shared fixture tree (apptest.SeedTree) with two more namespaces:
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        ├─ Finance ── dev
//	        └─ Équipe
const (
	global = apptest.Global
	eng    = apptest.Eng
	prod   = apptest.Prod
	dev    = apptest.Dev
	fin    = apptest.Fin
	finDev = "fin-dev"
	team   = "team"
)

// created is when the fixtures were made, now the service's clock and
// root the configured administrator the fixtures act as.
var created, now, root = apptest.Created, apptest.Now, apptest.Root

// env is a seeded store, its callers (root configured as administrator)
// and a Service over it.
type env struct {
	apptest.Callers
	svc *namespaces.Service
}

// newEnv seeds the fixture tree and two more namespaces into s.
func newEnv(t *testing.T, s db.Store, blockers ...namespaces.Blocker) *env {
	t.Helper()
	callers := apptest.Seeded(t, s)
	apptest.Seed(t, s, created,
		db.Namespace{ID: finDev, ParentID: fin, Name: "dev"},
		db.Namespace{ID: team, ParentID: global, Name: "Équipe"},
	)
	return &env{Callers: callers, svc: namespaces.NewService(s, apptest.Clock, blockers...)}
}

// snap is a namespace as the activity log shows it.
type snap struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	ParentID   string          `json:"parentId"`
	ParentName string          `json:"parentName"`
	Members    []db.Permission `json:"members"`
}

// decode reads an activity snapshot; "" (no side) is the zero snap.
func decode(t *testing.T, s string) snap {
	t.Helper()
	if p := apptest.DecodeSnapshot[snap](t, s); p != nil {
		return *p
	}
	return snap{}
}

// wantEntry checks the parts of e every namespace entry shares with want
// (ID and CreatedAt are checked against the clock).
func wantEntry(t *testing.T, e, want db.ActivityEntry) {
	t.Helper()
	if !e.CreatedAt.Equal(now.Truncate(time.Millisecond)) {
		t.Errorf("CreatedAt = %v, want %v", e.CreatedAt, now)
	}
	if e.ID == "" {
		t.Error("entry has no id")
	}
	e.ID, e.CreatedAt, e.Before, e.After = "", time.Time{}, "", ""
	want.EntityType = activity.EntityNamespace
	if e != want {
		t.Errorf("entry =\n%+v, want\n%+v", e, want)
	}
}
