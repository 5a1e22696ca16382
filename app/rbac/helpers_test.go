package rbac_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
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

// fixtureIDs lists every fixture namespace, Global first.
var fixtureIDs = []string{global, eng, prod, dev, fin}

// grant stores one permission.
type grant struct {
	ns, subjectType, subjectID string
	role                       rbac.Role
}

// put stores every grant, with an id derived from its namespace and subject.
func put(t *testing.T, s db.Store, grants ...grant) {
	t.Helper()
	c := apptest.Callers{Store: s, At: time.Unix(1, 0)}
	for _, g := range grants {
		c.Put(t, db.Permission{
			ID: g.ns + "/" + g.subjectType + "/" + g.subjectID, NamespaceID: g.ns,
			SubjectType: g.subjectType, SubjectID: g.subjectID, Role: g.role.String(),
		})
	}
}

// resolve builds p's access with the configured administrators admins.
func resolve(t *testing.T, s db.Store, p authn.Principal, admins ...string) *rbac.Access {
	t.Helper()
	return apptest.Callers{Store: s, Admins: admins}.Resolve(t, p)
}

// roles returns the effective role on each fixture namespace.
func roles(acc *rbac.Access) map[string]rbac.Role {
	out := map[string]rbac.Role{}
	for _, id := range fixtureIDs {
		out[id] = acc.Role(id)
	}
	return out
}
