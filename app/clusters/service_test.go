package clusters_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// secret is a valid shared_secret: base64 of 32 bytes.
const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYyE="

// caPEM is a certificate the CA field accepts.
func caPEM(t *testing.T) string {
	t.Helper()
	certFile, _ := apptest.WriteCert(t, t.TempDir(), "ca.example.com")
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newService(t *testing.T, s db.Store) (*clusters.Service, apptest.Callers) {
	t.Helper()
	return clusters.NewService(s, apptest.NewSealer(t), apptest.Clock), apptest.Seeded(t, s)
}

func TestCreateValidates(t *testing.T) {
	t.Parallel()
	valid := clusters.Input{Name: "Edge", NamespaceID: apptest.Eng, DatabrokerURL: "http://pomerium:5443", SharedSecret: secret}
	with := func(edit func(*clusters.Input)) clusters.Input {
		in := valid
		edit(&in)
		return in
	}
	tests := []struct {
		name string
		in   clusters.Input
		want map[string]string // field → code; nil: accepted
	}{
		{"valid", valid, nil},
		{"render only", clusters.Input{Name: "Lab", NamespaceID: apptest.Fin}, nil},
		{"TLS with every option", with(func(in *clusters.Input) {
			in.DatabrokerURL, in.OverrideName, in.InsecureSkipVerify = "https://pomerium.internal:5443", "databroker.internal", true
		}), nil},
		{"every field wrong at once", clusters.Input{Name: "", NamespaceID: "nope", DatabrokerURL: "ftp://x", SharedSecret: " not base64 "},
			map[string]string{"name": errs.CodeRequired, "namespaceId": errs.CodeNotFound, "databrokerServiceUrl": errs.CodeInvalid, "sharedSecret": errs.CodeInvalid}},
		{"a URL with a path", with(func(in *clusters.Input) { in.DatabrokerURL = "http://pomerium:5443/api" }), map[string]string{"databrokerServiceUrl": errs.CodeInvalid}},
		{"a URL without a secret", with(func(in *clusters.Input) { in.SharedSecret = "" }), map[string]string{"sharedSecret": errs.CodeRequired}},
		{"TLS options on http", with(func(in *clusters.Input) { in.OverrideName, in.InsecureSkipVerify = "x", true }),
			map[string]string{"overrideCertificateName": errs.CodeInvalid, "insecureSkipVerify": errs.CodeInvalid}},
		{"a CA that is not PEM", with(func(in *clusters.Input) { in.DatabrokerURL, in.CAPEM = "https://p:5443", "hello" }),
			map[string]string{"certificateAuthority": errs.CodeInvalid}},
		{"Global is the default cluster's", with(func(in *clusters.Input) { in.NamespaceID = db.GlobalNamespaceID }),
			map[string]string{"namespaceId": errs.CodeConflict}},
		{"a name too long", with(func(in *clusters.Input) { in.Name = strings.Repeat("n", 101) }), map[string]string{"name": errs.CodeTooLong}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			svc, callers := newService(t, s)
			before := storetest.Capture(t, s)
			c, err := svc.Create(context.Background(), callers.Caller(t, nil), tc.in)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				e := before.Changed(t, s)
				if e.EntityType != activity.EntityCluster || e.EntityID != c.ID || strings.Contains(e.After, secret) {
					t.Errorf("entry %+v", e)
				}
				if c.SealedSharedSecret != "" && strings.Contains(c.SealedSharedSecret, secret) {
					t.Error("the shared secret is stored in the clear")
				}
				return
			}
			ve, ok := errs.AsValidation(err)
			if !ok {
				t.Fatalf("err = %v, want field errors", err)
			}
			got := map[string]string{}
			for f, fe := range ve.Fields {
				got[f] = fe.Code
			}
			if len(got) != len(tc.want) {
				t.Fatalf("fields %v, want %v", got, tc.want)
			}
			for f, code := range tc.want {
				if got[f] != code {
					t.Fatalf("fields %v, want %v", got, tc.want)
				}
			}
			before.Unchanged(t, s)
		})
	}
}

func TestUpdateKeepsReplacesOrClearsTheSecret(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		svc, callers := newService(t, s)
		root := callers.Caller(t, nil)
		ctx := context.Background()
		in := clusters.Input{Name: "Edge", NamespaceID: apptest.Eng, DatabrokerURL: "https://p:5443", SharedSecret: secret, CAPEM: caPEM(t)}
		c, err := svc.Create(ctx, root, in)
		if err != nil {
			t.Fatal(err)
		}
		sealed := c.SealedSharedSecret
		in.SharedSecret, in.Name = "", "Edge 2"
		if c, err = svc.Update(ctx, root, c.ID, in); err != nil || c.SealedSharedSecret != sealed {
			t.Fatalf("keep: %v, sealed changed=%v", err, c.SealedSharedSecret != sealed)
		}
		in.SharedSecret = "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC1vdGhlciE="
		if c, err = svc.Update(ctx, root, c.ID, in); err != nil || c.SealedSharedSecret == sealed {
			t.Fatalf("replace: %v", err)
		}
		if plain, err := svc.OpenSecret(c); err != nil || plain != in.SharedSecret {
			t.Fatalf("OpenSecret = %q, %v", plain, err)
		}
		before := storetest.Capture(t, s)
		if _, err := svc.Update(ctx, root, c.ID, in); err != nil {
			t.Fatal(err)
		}
		before.Unchanged(t, s) // the same secret again changes nothing
		in.SharedSecret, in.ClearSecret, in.DatabrokerURL, in.CAPEM = "", true, "", ""
		if c, err = svc.Update(ctx, root, c.ID, in); err != nil || clusters.HasSecret(c) || clusters.CanPush(c) {
			t.Fatalf("clear: %v %+v", err, c)
		}
	})
}

func TestTheDefaultClusterComesFromTheConfigFile(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		svc, callers := newService(t, s)
		root := callers.Caller(t, nil)
		ctx := context.Background()
		changed, err := svc.EnsureDefault(ctx, clusters.Defaults{DatabrokerURL: "http://pomerium:5443", SharedSecret: secret})
		if err != nil || !changed {
			t.Fatalf("EnsureDefault = %v, %v", changed, err)
		}
		before := storetest.Capture(t, s)
		if changed, err := svc.EnsureDefault(ctx, clusters.Defaults{DatabrokerURL: "http://pomerium:5443", SharedSecret: secret}); err != nil || changed {
			t.Fatalf("a second start-up with the same config changed the cluster: %v, %v", changed, err)
		}
		before.Unchanged(t, s)
		def, err := svc.Get(ctx, root, db.DefaultClusterID)
		if err != nil || !clusters.CanPush(def) || def.NamespaceID != db.GlobalNamespaceID {
			t.Fatalf("default cluster %+v, %v", def, err)
		}
		renamed, err := svc.Update(ctx, root, def.ID, clusters.Input{Name: "Production", NamespaceID: def.NamespaceID, DatabrokerURL: def.DatabrokerURL})
		if err != nil || renamed.Name != "Production" {
			t.Fatalf("rename: %v", err)
		}
		apptest.WantRefused(t, s, apptest.Refusal{Fields: map[string]errs.FieldError{
			"databrokerServiceUrl": {Code: errs.CodeInvalid, Message: "comes from databroker_service_url in the config file; change it there"},
			"sharedSecret":         {Code: errs.CodeInvalid, Message: "comes from shared_secret in the config file; change it there"},
		}}, func() (db.Cluster, error) {
			return svc.Update(ctx, root, def.ID, clusters.Input{Name: "P", NamespaceID: def.NamespaceID, DatabrokerURL: "http://other:5443", SharedSecret: secret})
		})
		apptest.WantRefused(t, s, apptest.Refusal{Target: errs.ErrConflict,
			Msg: "conflict: the default cluster comes from the config file and serves Global: it cannot be deleted"},
			func() (struct{}, error) { return struct{}{}, svc.Delete(ctx, root, def.ID, true) })
	})
}

func TestOnlyGlobalAdminsManageClusters(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	svc, callers := newService(t, s)
	ctx := context.Background()
	in := clusters.Input{Name: "Edge", NamespaceID: apptest.Eng}
	for _, tc := range []struct {
		name        string
		roles       apptest.Roles
		read, write bool
	}{
		{"admin of Global", apptest.Roles{apptest.Global: rbac.RoleAdmin}, true, true},
		{"manager of Global", apptest.Roles{apptest.Global: rbac.RoleManager}, true, false},
		{"viewer of Global", apptest.Roles{apptest.Global: rbac.RoleViewer}, true, false},
		{"admin of Engineering", apptest.Roles{apptest.Eng: rbac.RoleAdmin}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acc := callers.Caller(t, tc.roles)
			_, err := svc.List(ctx, acc)
			if (err == nil) != tc.read {
				t.Errorf("list: %v", err)
			}
			c, err := svc.Create(ctx, acc, in)
			if (err == nil) != tc.write || (err != nil && !errors.Is(err, errs.ErrForbidden)) {
				t.Errorf("create: %v", err)
			}
			if err == nil {
				if err := svc.Delete(ctx, acc, c.ID, false); err != nil {
					t.Errorf("delete: %v", err)
				}
			}
		})
	}
}

func TestDeleteFreesTheNamespace(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		svc, callers := newService(t, s)
		root := callers.Caller(t, nil)
		ctx := context.Background()
		c, err := svc.Create(ctx, root, clusters.Input{Name: "Edge", NamespaceID: apptest.Dev})
		if err != nil {
			t.Fatal(err)
		}
		names, err := clusters.Blocker(ctx, s, apptest.Dev)
		if err != nil || len(names) != 1 || names[0] != "cluster “Edge”" {
			t.Fatalf("Blocker = %v, %v", names, err)
		}
		before := storetest.Capture(t, s)
		if err := svc.Delete(ctx, root, c.ID, false); err != nil {
			t.Fatal(err)
		}
		if e := before.Changed(t, s); e.ActivityType != db.ActivityDelete || e.EntityName != "Edge" {
			t.Errorf("entry %+v", e)
		}
		if names, _ := clusters.Blocker(ctx, s, apptest.Dev); len(names) != 0 {
			t.Errorf("Blocker after the delete = %v", names)
		}
		if err := s.DeleteNamespace(ctx, apptest.Dev); err != nil {
			t.Errorf("the namespace is still held: %v", err)
		}
	})
}
