package web_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

// runtimeFixture is a console whose default cluster reaches a databroker
// holding Core's runtime records: sessions of ada (two) and bob, ada's
// approved security key, bob's unapproved laptop and a directory entry.
// "vic" views Global; root is the configured administrator.
type runtimeFixture struct {
	app    *testutil.App
	broker *databrokertest.Server
}

func newRuntimeFixture(t *testing.T) runtimeFixture {
	t.Helper()
	broker := databrokertest.Start(t)
	app := testutil.NewApp(t, testutil.WithAdministrators(rootEmail), withDatabroker(broker))
	app.Grant(t, global, "user", "vic", "viewer")
	now := time.Now()
	ts := func(d time.Duration) *timestamppb.Timestamp { return timestamppb.New(now.Add(d)) }
	broker.Seed(t,
		&userpb.User{Id: "ada", Name: "Ada Lovelace", Email: "ada@example.com"},
		&userpb.User{Id: "bob", Name: "Bob Builder", Email: "bob@example.com", DeviceCredentialIds: []string{"cred-bob"}},
		&sessionpb.Session{Id: "sess-ada-1", UserId: "ada", IssuedAt: ts(-3 * time.Hour), ExpiresAt: ts(11 * time.Hour), AccessedAt: ts(-time.Minute),
			IdToken: &sessionpb.IDToken{Issuer: "https://idp.example.com"}},
		&sessionpb.Session{Id: "sess-ada-2", UserId: "ada", IssuedAt: ts(-time.Hour), ExpiresAt: ts(13 * time.Hour), AccessedAt: ts(-5 * time.Minute)},
		&sessionpb.Session{Id: "sess-bob", UserId: "bob", IssuedAt: ts(-2 * time.Hour), ExpiresAt: ts(12 * time.Hour), AccessedAt: ts(-30 * time.Minute)},
		&devicepb.Credential{Id: "cred-ada", TypeId: "any", EnrollmentId: "enr-ada", UserId: "ada"},
		&devicepb.Enrollment{Id: "enr-ada", TypeId: "any", CredentialId: "cred-ada", UserId: "ada", ApprovedBy: "bob", EnrolledAt: ts(-24 * time.Hour)},
		&devicepb.Credential{Id: "cred-bob", TypeId: "any", EnrollmentId: "enr-bob", UserId: "bob"},
		&devicepb.Enrollment{Id: "enr-bob", TypeId: "any", CredentialId: "cred-bob", UserId: "bob", EnrolledAt: ts(-time.Hour),
			UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"},
	)
	broker.SeedStruct(t, "pomerium.io/DirectoryUser", "cyd", map[string]any{"id": "cyd", "display_name": "Cyd Charisse", "email": "cyd@corp.example", "group_ids": []any{"g1"}})
	broker.SeedStruct(t, "pomerium.io/DirectoryGroup", "g1", map[string]any{"id": "g1", "name": "Dancers"})
	return runtimeFixture{app: app, broker: broker}
}

// sessionIDs lists the session rows of a sessions page, in order.
func sessionIDs(res *testutil.Response) []string {
	var out []string
	if res.Doc == nil {
		return out
	}
	for _, tr := range res.Doc.Find(`[data-testid="session-table"] tbody tr`).EachIter() {
		id, _ := tr.Attr("data-testid")
		out = append(out, id)
	}
	return out
}
