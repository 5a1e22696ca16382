package runtime_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
)

// seedSessions stores s-ada-1 (oldest), s-bob, s-ada-2, s-cyd (newest).
func (f fixture) seedSessions(t *testing.T) {
	t.Helper()
	f.people(t)
	cyd := session("s-cyd", "cyd", -time.Hour)
	cyd.Claims = map[string]*structpb.ListValue{"department": {Values: []*structpb.Value{structpb.NewStringValue("Treasury")}}}
	bob := session("s-bob", "bob", -3*time.Hour)
	bob.ExpiresAt = at(time.Hour) // expires first
	f.broker.Seed(t, session("s-ada-1", "ada", -4*time.Hour), bob, session("s-ada-2", "ada", -2*time.Hour), cyd)
}

func TestListSessions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedSessions(t)
	viewer := f.as(t, "vic", "", apptest.Roles{apptest.Global: rbac.RoleViewer})
	tests := []struct {
		name      string
		q         runtime.SessionQuery
		want      []string
		wantTotal int
	}{
		{"newest first by default", runtime.SessionQuery{}, []string{"s-cyd", "s-ada-2", "s-bob", "s-ada-1"}, 4},
		{"oldest first", runtime.SessionQuery{OrderBy: "issued_at"}, []string{"s-ada-1", "s-bob", "s-ada-2", "s-cyd"}, 4},
		{"by expiry", runtime.SessionQuery{OrderBy: "expires_at"}, []string{"s-bob", "s-ada-1", "s-ada-2", "s-cyd"}, 4},
		{"by user name, ties by id", runtime.SessionQuery{OrderBy: "user"}, []string{"s-ada-1", "s-ada-2", "s-bob", "s-cyd"}, 4},
		{"by last access, reversed", runtime.SessionQuery{OrderBy: "-accessed_at"}, []string{"s-cyd", "s-ada-2", "s-bob", "s-ada-1"}, 4},
		{"one user", runtime.SessionQuery{UserID: "ada"}, []string{"s-ada-2", "s-ada-1"}, 2},
		{"query matches the user's e-mail", runtime.SessionQuery{Query: "BOB@example"}, []string{"s-bob"}, 1},
		{"query matches the directory e-mail", runtime.SessionQuery{Query: "corp.example"}, []string{"s-cyd", "s-ada-2", "s-ada-1"}, 3},
		{"query matches claims", runtime.SessionQuery{Query: "treasury"}, []string{"s-cyd"}, 1},
		{"query matches nothing", runtime.SessionQuery{Query: "nobody"}, nil, 0},
		{"a page", runtime.SessionQuery{Offset: 1, Limit: 2}, []string{"s-ada-2", "s-bob"}, 4},
		{"past the end", runtime.SessionQuery{Offset: 10}, nil, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page, err := f.svc.ListSessions(t.Context(), viewer, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(page.Sessions), tc.want) || page.Total != tc.wantTotal {
				t.Errorf("got %v (total %d), want %v (total %d)", ids(page.Sessions), page.Total, tc.want, tc.wantTotal)
			}
		})
	}
	page, err := f.svc.ListSessions(t.Context(), viewer, runtime.SessionQuery{UserID: "ada", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := page.Sessions[0]
	if got.User != (runtime.UserRef{ID: "ada", Name: "Ada Lovelace", Email: "ada@corp.example"}) || got.Issuer() != "https://idp.example.com" {
		t.Errorf("enrichment: user %+v, issuer %q", got.User, got.Issuer())
	}
	if len(got.Groups) != 2 || got.Groups[0] != (runtime.Group{ID: "g-eng", Name: "Engineering", Email: "eng@corp.example"}) || got.Groups[1].Name != "g-gone" {
		t.Errorf("groups %+v: want the named group, then the unknown one by id", got.Groups)
	}
}

func TestListSessionsRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedSessions(t)
	root := f.root(t, "")
	engAdmin := f.as(t, "eve", "", apptest.Roles{apptest.Eng: rbac.RoleAdmin})
	_, err := f.svc.ListSessions(t.Context(), engAdmin, runtime.SessionQuery{})
	wantErr(t, err, errs.ErrForbidden)
	_, err = f.svc.ListSessions(t.Context(), root, runtime.SessionQuery{OrderBy: "name"})
	wantField(t, err, "order_by", errs.CodeInvalid)
	_, err = f.svc.ListSessions(t.Context(), root, runtime.SessionQuery{Offset: -1})
	wantField(t, err, "offset", errs.CodeInvalid)
	_, err = f.svc.ListSessions(t.Context(), root, runtime.SessionQuery{Limit: runtime.MaxLimit + 1})
	wantField(t, err, "limit", errs.CodeInvalid)
	_, err = f.svc.ListSessions(t.Context(), root, runtime.SessionQuery{ClusterID: "nope"})
	wantErr(t, err, errs.ErrNotFound)

	f.broker.Stop()
	_, err = f.svc.ListSessions(t.Context(), root, runtime.SessionQuery{})
	wantErr(t, err, errs.ErrUnavailable)
	if reason := errs.Reason(err); reason == "" {
		t.Errorf("an unreachable databroker gives no reason: %v", err)
	}
}

func TestWithoutDatabroker(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	root := f.root(t, "s1")
	ctx := t.Context()
	calls := map[string]error{}
	_, calls["ListSessions"] = f.svc.ListSessions(ctx, root, runtime.SessionQuery{})
	_, calls["GetSession"] = f.svc.GetSession(ctx, root, "", "s1")
	_, calls["RevokeSession"] = f.svc.RevokeSession(ctx, root, runtime.RevokeInput{ID: "s1"})
	_, calls["ListSessionsForImpersonation"] = f.svc.ListSessionsForImpersonation(ctx, root, "", "")
	calls["Impersonate"] = f.svc.Impersonate(ctx, root, "", "s2")
	_, calls["QueryGroups"] = f.svc.QueryGroups(ctx, root, runtime.GroupQuery{})
	_, calls["GetGroupInfo"] = f.svc.GetGroupInfo(ctx, root, "", "g")
	_, calls["ListDevices"] = f.svc.ListDevices(ctx, root, runtime.DeviceFilter{})
	calls["ApproveDevice"] = f.svc.ApproveDevice(ctx, root, runtime.DeviceRef{CredentialID: "c"})
	calls["DeleteDevice"] = f.svc.DeleteDevice(ctx, root, runtime.DeviceRef{CredentialID: "c"})
	_, calls["ListDeviceTypes"] = f.svc.ListDeviceTypes(ctx, root, "")
	calls["DeleteDeviceType"] = f.svc.DeleteDeviceType(ctx, root, "", "t")
	_, calls["CreateEnrollment"] = f.svc.CreateEnrollment(ctx, root, runtime.EnrollmentInput{UserID: "u", RouteURL: "https://app.example.com"})
	for name, err := range calls {
		if !errors.Is(err, errs.ErrUnavailable) {
			t.Errorf("%s: %v, want an error matching ErrUnavailable", name, err)
		}
	}
	if entries := f.activity(t); len(entries) != 0 {
		t.Errorf("refused calls wrote %d activity entries", len(entries))
	}
}

func TestGetSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedSessions(t)
	d, err := f.svc.GetSession(t.Context(), f.root(t, ""), "", "s-ada-1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Session.ID() != "s-ada-1" || !slices.Equal(ids(d.Associated), []string{"s-ada-2"}) {
		t.Errorf("got %s with %v", d.Session.ID(), ids(d.Associated))
	}
	_, err = f.svc.GetSession(t.Context(), f.root(t, ""), "", "s-none")
	wantErr(t, err, errs.ErrNotFound)
	_, err = f.svc.GetSession(t.Context(), f.root(t, ""), "", "")
	wantField(t, err, "id", errs.CodeRequired)
}
