package runtime_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// remaining lists the ids of the sessions the databroker still holds.
func (f fixture) remaining() []string {
	var out []string
	for _, r := range f.broker.Records(runtime.SessionType) {
		out = append(out, r.GetId())
	}
	return out
}

func TestRevokeSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedSessions(t)
	ctx := t.Context()
	viewer := f.as(t, "vic", "", apptest.Roles{apptest.Global: rbac.RoleViewer})
	_, err := f.svc.RevokeSession(ctx, viewer, runtime.RevokeInput{ID: "s-bob"})
	wantErr(t, err, errs.ErrForbidden)
	_, err = f.svc.RevokeSession(ctx, f.root(t, ""), runtime.RevokeInput{ID: "s-none"})
	wantErr(t, err, errs.ErrNotFound)
	_, err = f.svc.RevokeSession(ctx, f.root(t, ""), runtime.RevokeInput{})
	wantField(t, err, "id", errs.CodeRequired)
	if len(f.remaining()) != 4 || len(f.activity(t)) != 0 {
		t.Fatalf("refusals changed something: %v", f.remaining())
	}

	res, err := f.svc.RevokeSession(ctx, f.root(t, ""), runtime.RevokeInput{ID: "s-bob"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Revoked, []string{"s-bob"}) || res.BlockedPolicyID != "" {
		t.Errorf("result %+v", res)
	}
	if got := f.remaining(); !slices.Equal(got, []string{"s-ada-1", "s-ada-2", "s-cyd"}) {
		t.Errorf("left %v", got)
	}
	// Core's style (b) delete: the tombstone keeps the session, so Core's
	// identity manager still reads whose it was.
	tomb := f.broker.Tombstone(runtime.SessionType, "s-bob")
	kept := &sessionpb.Session{}
	if tomb == nil || tomb.GetData().UnmarshalTo(kept) != nil || kept.GetUserId() != "bob" || kept.GetIdToken().GetIssuer() == "" {
		t.Fatalf("tombstone %v does not keep the session", tomb)
	}
	entries := f.activity(t)
	if len(entries) != 1 {
		t.Fatalf("%d activity entries", len(entries))
	}
	e := entries[0]
	if e.EntityType != activity.EntitySession || e.ActivityType != db.ActivityDelete || e.EntityID != "s-bob" || e.EntityName != "Bob" ||
		e.NamespaceID != db.GlobalNamespaceID || !strings.Contains(e.Before, `"userEmail": "bob@example.com"`) || e.After != "" {
		t.Errorf("activity entry %+v", e)
	}
	if strings.Contains(e.Before, "https://idp") {
		t.Errorf("the entry stores more of the session than its summary: %s", e.Before)
	}
}

func TestRevokeAndBlockUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedSessions(t)
	ctx := t.Context()
	root := f.root(t, "")
	res, err := f.svc.RevokeSession(ctx, root, runtime.RevokeInput{ID: "s-ada-2", BlockUser: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Revoked, []string{"s-ada-2", "s-ada-1"}) || res.BlockedPolicyID == "" {
		t.Fatalf("result %+v", res)
	}
	if got := f.remaining(); !slices.Equal(got, []string{"s-bob", "s-cyd"}) {
		t.Errorf("left %v", got)
	}
	p, err := f.store.GetPolicy(ctx, res.BlockedPolicyID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != runtime.BlockedUsersPolicy || !p.Enforced || p.NamespaceID != db.GlobalNamespaceID ||
		!strings.Contains(p.PPL, `"ada"`) || !strings.Contains(p.Rego, "ada") {
		t.Fatalf("policy %+v", p)
	}
	if _, err := policies.CompilePPL(p.PPL); err != nil {
		t.Fatalf("the blocked users PPL does not compile: %v", err)
	}

	// A second user joins the same policy.
	res2, err := f.svc.RevokeSession(ctx, root, runtime.RevokeInput{ID: "s-bob", BlockUser: true})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := f.store.GetPolicy(ctx, res2.BlockedPolicyID)
	if err != nil || res2.BlockedPolicyID != p.ID || !strings.Contains(p2.PPL, `"ada"`) || !strings.Contains(p2.PPL, `"bob"`) {
		t.Fatalf("second block: %v, %+v", err, p2)
	}

	// Blocking yourself is refused before anything is revoked.
	f.broker.Seed(t, session("s-root", apptest.Root.UserID, 0))
	_, err = f.svc.RevokeSession(ctx, root, runtime.RevokeInput{ID: "s-root", BlockUser: true})
	wantField(t, err, "block_user", errs.CodeInvalid)

	// A hand-edited policy is not rewritten, and nothing is revoked.
	hand := "- deny:\n    or:\n      - email:\n          is: x@example.com\n"
	if _, err := f.svc.RevokeSession(ctx, root, runtime.RevokeInput{ID: "s-root"}); err != nil {
		t.Fatal(err)
	}
	pols := policies.NewService(f.store, apptest.Clock, policies.CompilePPL)
	if _, err := pols.Update(ctx, root, p.ID, policies.UpdateInput{PPL: &hand}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.RevokeSession(ctx, root, runtime.RevokeInput{ID: "s-cyd", BlockUser: true})
	if !errors.Is(err, errs.ErrConflict) || !slices.Contains(f.remaining(), "s-cyd") {
		t.Fatalf("hand-edited policy: %v, sessions %v", err, f.remaining())
	}
}

func TestImpersonate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedSessions(t)
	ctx := t.Context()
	f.broker.Seed(t, session("s-root", apptest.Root.UserID, 0))
	root := f.root(t, "s-root")

	targets, err := f.svc.ListSessionsForImpersonation(ctx, root, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var targetIDs []string
	for _, x := range targets {
		targetIDs = append(targetIDs, x.ID)
	}
	if !slices.Equal(targetIDs, []string{"s-cyd", "s-ada-2", "s-bob", "s-ada-1"}) || targets[0].UserDisplayName != "Cyd Charisse" || targets[0].UserEmail != "cyd@corp.example" {
		t.Errorf("targets %+v (the caller's own session must not be one)", targets)
	}
	if only, err := f.svc.ListSessionsForImpersonation(ctx, root, "", "bob"); err != nil || len(only) != 1 || only[0].ID != "s-bob" {
		t.Errorf("filtered targets %+v, %v", only, err)
	}

	if err := f.svc.Impersonate(ctx, root, "", "s-bob"); err != nil {
		t.Fatal(err)
	}
	mine := &sessionpb.Session{}
	if !f.broker.Message(t, runtime.SessionType, "s-root", mine) || mine.GetImpersonateSessionId() != "s-bob" || mine.GetUserId() != apptest.Root.UserID {
		t.Fatalf("own session after impersonating: %v", mine)
	}
	if info, err := f.svc.GetUserInfo(ctx, root, "", ""); err != nil || !info.IsImpersonated {
		t.Errorf("user info while impersonating: %+v, %v", info, err)
	}

	// While impersonating, the console sees the target (no admin role),
	// who may still stop.
	asBob := f.callers.Resolve(t, principal("bob", "s-root"))
	if err := f.svc.Impersonate(ctx, asBob, "", "s-cyd"); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("impersonating without admin: %v", err)
	}
	if err := f.svc.Impersonate(ctx, asBob, "", ""); err != nil {
		t.Fatal(err)
	}
	if !f.broker.Message(t, runtime.SessionType, "s-root", mine) || mine.ImpersonateSessionId != nil {
		t.Fatalf("own session after stopping: %v", mine)
	}
	entries := f.activity(t)
	if len(entries) != 2 || entries[0].EntityID != "s-root" || !strings.Contains(entries[0].After, `"s-bob"`) || !strings.Contains(entries[1].Before, `"s-bob"`) {
		t.Errorf("activity %+v", entries)
	}

	tests := []struct {
		name   string
		acc    *rbac.Access
		target string
		check  func(error)
	}{
		{"no session of one's own", f.callers.Resolve(t, principalWithoutSession), "s-bob", func(err error) { wantErr(t, err, errs.ErrUnavailable) }},
		{"own session not in the databroker", f.root(t, "s-elsewhere"), "s-bob", func(err error) { wantErr(t, err, errs.ErrUnavailable) }},
		{"unknown target", root, "s-none", func(err error) { wantField(t, err, "session_id", errs.CodeNotFound) }},
		{"own session as target", root, "s-root", func(err error) { wantField(t, err, "session_id", errs.CodeInvalid) }},
		{"viewer", f.as(t, "vic", "s-root", apptest.Roles{apptest.Global: rbac.RoleViewer}), "s-bob", func(err error) { wantErr(t, err, errs.ErrForbidden) }},
	}
	for _, tc := range tests {
		tc.check(f.svc.Impersonate(ctx, tc.acc, "", tc.target))
	}
	if !f.broker.Message(t, runtime.SessionType, "s-root", mine) || mine.ImpersonateSessionId != nil || len(f.activity(t)) != 2 {
		t.Errorf("a refused impersonation changed something: %v", mine)
	}
}
