package configyaml

import (
	"errors"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// importEnv is a seeded store with an svc and its root admin.
type importEnv struct {
	store   db.Store
	callers apptest.Callers
	root    *rbac.Access
	svc     *Service
}

func newEnv(t *testing.T, s db.Store) importEnv {
	t.Helper()
	callers := apptest.Seeded(t, s)
	return importEnv{store: s, callers: callers, root: callers.Caller(t, nil),
		svc: NewService(s, apptest.NewSealer(t), apptest.Clock, policies.CompilePPL)}
}

func parse(t *testing.T, name string, src []byte) *Plan {
	t.Helper()
	plan, err := Parse(name, src)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return plan
}

func TestPreviewThenApply(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		env := newEnv(t, s)
		plan := parse(t, "oss.yaml", readTestdata(t, "oss.yaml"))
		before := storetest.Capture(t, s)
		preview, err := env.svc.Preview(t.Context(), env.root, plan, apptest.Eng)
		if err != nil {
			t.Fatal(err)
		}
		before.Unchanged(t, s)
		if !preview.OK() || preview.Applied {
			t.Fatalf("preview: ok %v, applied %v, problems %v", preview.OK(), preview.Applied, preview.Problems())
		}
		want := map[string]int{KindKeyPair: 4, KindPolicy: 5, KindRoute: 6, KindSettings: 1}
		for kind, n := range want {
			if got := preview.Count(kind, ""); got != n {
				t.Errorf("preview %s items = %d, want %d", kind, got, n)
			}
		}
		out, err := env.svc.Apply(t.Context(), env.root, plan, apptest.Eng)
		if err != nil || !out.Applied {
			t.Fatalf("apply: %v (applied %v)", err, out != nil && out.Applied)
		}
		after := storetest.Capture(t, s)
		inEng := 0
		for _, r := range after.Routes {
			if r.NamespaceID == apptest.Eng {
				inEng++
			}
		}
		var global int
		for _, k := range after.KeyPairs {
			if k.NamespaceID == db.GlobalNamespaceID {
				global++
			}
		}
		if inEng != 6 || len(after.Policies) != 5 || len(after.KeyPairs) != 4 || global != 1 || len(after.Settings) != 1 {
			t.Errorf("stored: %d routes in Engineering, %d policies, %d key pairs (%d in Global), %d settings rows",
				inEng, len(after.Policies), len(after.KeyPairs), global, len(after.Settings))
		}
		// Every entity is logged as the same edit made by hand would be.
		if n := len(before.NewActivity(t, s)); n != 16 {
			t.Errorf("activity entries = %d, want 16 (one per entity and one for the settings)", n)
		}
	})
}

func TestApplyRefusesAConflictAndCreatesNothing(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		env := newEnv(t, s)
		rts := routes.NewService(s, apptest.NewSealer(t), apptest.Clock, policies.NewService(s, apptest.Clock, policies.CompilePPL))
		if _, err := rts.Create(t.Context(), env.root, routes.Input{NamespaceID: apptest.Fin, Name: "Docs", From: "https://docs.example.com",
			Prefix: "/old", To: []string{"http://docs:80"}}); err != nil {
			t.Fatal(err)
		}
		plan := parse(t, "oss.yaml", readTestdata(t, "oss.yaml"))
		preview, err := env.svc.Preview(t.Context(), env.root, plan, apptest.Eng)
		if err != nil {
			t.Fatal(err)
		}
		if preview.OK() || preview.Count(KindRoute, StatusConflict) != 1 {
			t.Fatalf("preview: %+v", preview.Problems())
		}
		p := preview.Problems()[0]
		if p.Line != 75 || p.Key != "routes[2].from" || !strings.Contains(p.Message, `route "Docs" in namespace "Finance" already answers these requests`) {
			t.Errorf("conflict = %s", p)
		}
		before := storetest.Capture(t, s)
		out, err := env.svc.Apply(t.Context(), env.root, plan, apptest.Eng)
		var problems Problems
		if !errors.As(err, &problems) || out.Applied || len(problems) != 1 {
			t.Fatalf("apply = %v", err)
		}
		before.Unchanged(t, s)
	})
}

func TestApplyCreatesNothingWhenAnEntityIsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want Problem
	}{
		{"an upstream the console refuses", "routes:\n  - from: https://a.example.com\n    to: http://a\n    allow_any_authenticated_user: true\n" +
			"  - from: https://b.example.com\n    to: ftp://b\n", Problem{Line: 6, Key: "routes[1].to", Message: "must start with http://"}},
		{"a certificate that is not one", "certificate_authority: " + b64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") + "\n",
			Problem{Line: 1, Key: "certificate_authority"}},
		{"a setting the console refuses", "log_level: loud\nroutes:\n  - from: https://a.example.com\n    to: http://a\n",
			Problem{Line: 1, Key: "log_level"}},
		{"a health check without a path", "routes:\n  - from: https://a.example.com\n    to: http://a\n    health_checks:\n      - timeout: 1s\n        interval: 1s\n" +
			"        healthy_threshold: 1\n        unhealthy_threshold: 1\n        http_health_check: {host: a}\n", Problem{Line: 4, Key: "routes[0].health_checks"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, storetest.OpenSQLite(t))
			before := storetest.Capture(t, env.store)
			_, err := env.svc.Apply(t.Context(), env.root, parse(t, "config.yaml", []byte(tc.yaml)), apptest.Eng)
			var problems Problems
			if !errors.As(err, &problems) {
				t.Fatalf("apply = %v, want Problems", err)
			}
			p := problems[0]
			if p.File != "config.yaml" || p.Line != tc.want.Line || p.Key != tc.want.Key || !strings.Contains(p.Message, tc.want.Message) {
				t.Errorf("problem = %s, want config.yaml:%d: %s: …%s…", p, tc.want.Line, tc.want.Key, tc.want.Message)
			}
			before.Unchanged(t, env.store)
		})
	}
}

func TestImportNeedsTheRoles(t *testing.T) {
	t.Parallel()
	env := newEnv(t, storetest.OpenSQLite(t))
	plan := parse(t, "oss.yaml", readTestdata(t, "oss.yaml"))
	viewer := env.callers.Caller(t, apptest.Roles{apptest.Eng: rbac.RoleViewer})
	if _, err := env.svc.Preview(t.Context(), viewer, plan, apptest.Eng); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("a viewer's preview = %v, want forbidden", err)
	}
	// A manager of the namespace may import routes, but not the global
	// settings (nor key pairs into Global): the import is refused whole.
	manager := env.callers.Caller(t, apptest.Roles{apptest.Eng: rbac.RoleManager})
	before := storetest.Capture(t, env.store)
	out, err := env.svc.Apply(t.Context(), manager, plan, apptest.Eng)
	if err == nil || out.Count(KindSettings, StatusInvalid) != 1 || out.Count(KindRoute, StatusCreate) != 6 {
		t.Fatalf("a manager's apply = %v, %+v", err, out)
	}
	before.Unchanged(t, env.store)
}
