package runtime_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// fixture is the runtime service over the apptest tree, whose default
// cluster (bound to Global) reaches an in-process databroker.
type fixture struct {
	svc     *runtime.Service
	store   db.Store
	broker  *databrokertest.Server
	callers apptest.Callers
}

// newFixture builds the service; with broker false the default cluster
// has no databroker configured.
func newFixture(t *testing.T, broker bool) fixture {
	t.Helper()
	store := storetest.Open(t, storetest.SQLiteURL(t))
	callers := apptest.Seeded(t, store)
	sealer := apptest.NewSealer(t)
	cl := clusters.NewService(store, sealer, apptest.Clock)
	f := fixture{store: store, callers: callers}
	if broker {
		f.broker = databrokertest.Start(t)
		if _, err := cl.EnsureDefault(t.Context(), clusters.Defaults{DatabrokerURL: f.broker.URL(), SharedSecret: f.broker.SharedSecret()}); err != nil {
			t.Fatal(err)
		}
	}
	dep := deploy.New(deploy.Options{Store: store, Sealer: sealer, Clusters: cl, Now: apptest.Clock})
	t.Cleanup(dep.Close)
	f.svc = runtime.New(runtime.Options{
		Store: store, Brokers: dep, Secret: cl.OpenSecret,
		Policies:   policies.NewService(store, apptest.Clock, policies.CompilePPL),
		Authorizer: rbac.NewAuthorizer(store, callers.Admins),
		Now:        apptest.Clock,
	})
	return f
}

// root is the configured administrator, signed in through Pomerium with
// session sid ("" for none).
func (f fixture) root(t *testing.T, sid string) *rbac.Access {
	t.Helper()
	p := apptest.Root
	p.SessionID = sid
	return f.callers.Resolve(t, p)
}

// as is a Pomerium user holding roles, with session sid.
func (f fixture) as(t *testing.T, id, sid string, roles apptest.Roles) *rbac.Access {
	t.Helper()
	acc := f.callers.User(t, id, roles)
	p := acc.Principal
	p.SessionID = sid
	return f.callers.Resolve(t, p)
}

// at is a time relative to the fixture clock.
func at(d time.Duration) *timestamppb.Timestamp { return timestamppb.New(apptest.Now.Add(d)) }

// session builds a Core session of user issued at issued (relative to now).
func session(id, user string, issued time.Duration) *sessionpb.Session {
	return &sessionpb.Session{
		Id: id, UserId: user, IssuedAt: at(issued), ExpiresAt: at(issued + 14*time.Hour), AccessedAt: at(issued + time.Minute),
		IdToken: &sessionpb.IDToken{Issuer: "https://idp.example.com", Subject: user},
	}
}

// people seeds users: ada (Core user + directory, in group eng-team),
// bob (Core user only), cyd (directory only).
func (f fixture) people(t *testing.T) {
	t.Helper()
	f.broker.Seed(t,
		&userpb.User{Id: "ada", Name: "Ada Lovelace", Email: "ada@example.com"},
		&userpb.User{Id: "bob", Name: "Bob", Email: "bob@example.com"},
	)
	f.broker.SeedStruct(t, runtime.DirectoryUserType, "ada", map[string]any{
		"id": "ada", "display_name": "Ada L.", "email": "ada@corp.example", "group_ids": []any{"g-eng", "g-gone"},
	})
	f.broker.SeedStruct(t, runtime.DirectoryUserType, "cyd", map[string]any{
		"id": "cyd", "display_name": "Cyd Charisse", "email": "cyd@corp.example", "group_ids": []any{"g-fin"},
	})
	f.broker.SeedStruct(t, runtime.DirectoryGroupType, "g-eng", map[string]any{"id": "g-eng", "name": "Engineering", "email": "eng@corp.example"})
	f.broker.SeedStruct(t, runtime.DirectoryGroupType, "g-fin", map[string]any{"id": "g-fin", "name": "Finance"})
}

// activity returns the activity log, oldest first.
func (f fixture) activity(t *testing.T) []db.ActivityEntry {
	t.Helper()
	entries, _, err := f.store.ListActivity(context.Background(), db.ActivityFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(entries)
	return entries
}

// wantErr checks err matches target (nil for success).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if target == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want one matching %v", err, target)
	}
}

// wantField checks err is a validation error naming exactly field.
func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	ve, ok := errs.AsValidation(err)
	if !ok || len(ve.Fields) != 1 || ve.Fields[field].Code != code {
		t.Fatalf("error %v, want a %s error on %s", err, code, field)
	}
}

// principalWithoutSession is a configured admin signed in by recovery token.
var principalWithoutSession = authn.Principal{Kind: authn.KindRecovery, UserID: "recovery:x", RecoveryNamespaceID: db.GlobalNamespaceID}

// principal is a Pomerium user with session sid and no grants of its own.
func principal(id, sid string) authn.Principal {
	return authn.Principal{Kind: authn.KindPomerium, UserID: id, SessionID: sid}
}

// ids lists the ids of sessions or devices, in order.
func ids[T interface{ ID() string }](list []T) []string {
	var out []string
	for _, x := range list {
		out = append(out, x.ID())
	}
	return out
}
