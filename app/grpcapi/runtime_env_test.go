package grpcapi_test

import (
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// runtimeEnv is a console whose default cluster (serving Global) reaches
// an in-process databroker holding Core's records, with one configured
// administrator, for the session, user, device and service account
// services.
type runtimeEnv struct {
	app    *testutil.App
	broker *databrokertest.Server
}

func newRuntimeEnv(t *testing.T) *runtimeEnv {
	t.Helper()
	broker := databrokertest.Start(t)
	app := testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"), func(c *config.Config) {
		c.DatabrokerServiceURL, c.SharedSecret = broker.URL(), broker.SharedSecret()
	})
	// Registered after the store's cleanup, so it runs first: pushes of
	// service account records end before the database closes.
	t.Cleanup(app.Console.ServiceAccounts.Close)
	return &runtimeEnv{app: app, broker: broker}
}

// admin connects as the administrator, signed in to Pomerium with session
// sid ("" for none).
func (e *runtimeEnv) admin(t *testing.T, sid string) *grpc.ClientConn {
	t.Helper()
	return e.app.DialGRPC(t, sessionCallerMD(t, e.app, "admin", "admin@example.com", sid))
}

// as connects as user id holding role on nsID ("" grants nothing).
func (e *runtimeEnv) as(t *testing.T, id, nsID, role string) *grpc.ClientConn {
	t.Helper()
	if role != "" {
		e.app.Grant(t, nsID, db.SubjectUser, id, role)
	}
	return e.app.DialGRPC(t, callerMD(t, e.app, id, id+"@example.com"))
}

// activity returns the log entries of entityType, newest first.
func (e *runtimeEnv) activity(t *testing.T, entityType string) []db.ActivityEntry {
	t.Helper()
	list, _, err := e.app.Store.ListActivity(t.Context(), db.ActivityFilter{EntityType: entityType, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// ago is a timestamp d before now.
func ago(d time.Duration) *timestamppb.Timestamp { return timestamppb.New(time.Now().Add(-d)) }

// coreSession is a session of user issued d ago.
func coreSession(id, user string, d time.Duration) *sessionpb.Session {
	return &sessionpb.Session{
		Id: id, UserId: user, IssuedAt: ago(d), ExpiresAt: ago(d - 14*time.Hour), AccessedAt: ago(d - time.Minute),
		IdToken:  &sessionpb.IDToken{Issuer: "https://idp.example.com", Subject: user},
		Audience: []string{"app.example.com"},
	}
}

// seedPeople stores ada (Core user + directory, in group Engineering),
// bob (Core user only) and cyd (directory only, in Finance), and their
// sessions: s-ada-1 (oldest), s-bob, s-ada-2, s-cyd (newest).
func (e *runtimeEnv) seedPeople(t *testing.T) {
	t.Helper()
	e.broker.Seed(t,
		&userpb.User{Id: "ada", Name: "Ada Lovelace", Email: "ada@example.com"},
		&userpb.User{Id: "bob", Name: "Bob", Email: "bob@example.com"},
	)
	e.broker.SeedStruct(t, runtime.DirectoryUserType, "ada", map[string]any{
		"id": "ada", "display_name": "Ada L.", "email": "ada@corp.example", "group_ids": []any{"g-eng"},
	})
	e.broker.SeedStruct(t, runtime.DirectoryUserType, "cyd", map[string]any{
		"id": "cyd", "display_name": "Cyd Charisse", "email": "cyd@corp.example", "group_ids": []any{"g-fin"},
	})
	e.broker.SeedStruct(t, runtime.DirectoryGroupType, "g-eng", map[string]any{"id": "g-eng", "name": "Engineering", "email": "eng@corp.example"})
	e.broker.SeedStruct(t, runtime.DirectoryGroupType, "g-fin", map[string]any{"id": "g-fin", "name": "Finance"})
	cyd := coreSession("s-cyd", "cyd", time.Hour)
	cyd.Claims = map[string]*structpb.ListValue{"department": {Values: []*structpb.Value{structpb.NewStringValue("Treasury")}}}
	e.broker.Seed(t, coreSession("s-ada-1", "ada", 4*time.Hour), coreSession("s-bob", "bob", 3*time.Hour),
		coreSession("s-ada-2", "ada", 2*time.Hour), cyd)
}

// noBrokerApp is a console whose default cluster has no databroker.
func noBrokerApp(t *testing.T) *testutil.App {
	t.Helper()
	return testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"))
}
