package grpcapi_test

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// TestServiceAccountAuthentication follows a service account from its
// creation through the API to its revocation, calling as the enterprise
// clients do ("authorization: Pomerium <JWT>").
func TestServiceAccountAuthentication(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	admin := e.admin(t, "")
	ctx := t.Context()

	added, err := pb.NewPomeriumServiceAccountServiceClient(admin).AddPomeriumServiceAccount(ctx, &pb.AddPomeriumServiceAccountRequest{
		ServiceAccount: &pb.PomeriumServiceAccount{NamespaceId: new(team), Description: new("deployer")},
	})
	if err != nil {
		t.Fatal(err)
	}
	sa, token := added.GetServiceAccount(), added.GetJWT()
	// Its user id holds admin on Team, and (to show the cap) on Global.
	perms := pb.NewNamespacePermissionServiceClient(admin)
	for _, ns := range []string{team, db.GlobalNamespaceID} {
		_, err := perms.SetNamespacePermission(ctx, &pb.SetNamespacePermissionRequest{NamespacePermission: &pb.NamespacePermission{
			NamespaceId: ns, SubjectType: db.SubjectUser, SubjectId: sa.GetUserId(), Role: "admin",
		}})
		if err != nil {
			t.Fatal(err)
		}
	}

	namespaces := pb.NewNamespaceServiceClient(e.app.DialGRPC(t, testutil.PomeriumToken(token)))
	child, err := namespaces.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team, Name: "Made by a robot"}})
	if err != nil {
		t.Fatalf("the service account cannot act on its namespace: %v", err)
	}
	// The log names the account as the actor.
	entries, _, err := e.app.Store.ListActivity(ctx, db.ActivityFilter{EntityType: "namespace", EntityID: child.GetNamespace().GetId(), Limit: 10})
	if err != nil || len(entries) != 1 {
		t.Fatalf("activity = %+v, %v", entries, err)
	}
	if a := entries[0]; a.ServiceAccountID != sa.GetId() || a.UserID != sa.GetUserId() || a.AuthMethod != "service_account" {
		t.Fatalf("the actor is %+v, want service account %s (%s)", a, sa.GetId(), sa.GetUserId())
	}
	got, err := pb.NewPomeriumServiceAccountServiceClient(admin).GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{Id: sa.GetId()})
	if err != nil || got.GetServiceAccount().GetAccessedAt() == nil {
		t.Fatalf("the use was not recorded: %v, %v", got, err)
	}

	// Made in Team, the account cannot act on Global, whatever its user
	// id was granted there.
	_, err = namespaces.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: db.GlobalNamespaceID, Name: "Escaped"}})
	expectCode(t, err, codes.PermissionDenied)
	// Nor behind Pomerium, where the call arrives as an assertion whose
	// sid is the account id.
	behind := pb.NewNamespaceServiceClient(e.app.DialGRPC(t, sessionCallerMD(t, e.app, sa.GetUserId(), "", sa.GetId())))
	_, err = behind.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: db.GlobalNamespaceID, Name: "Escaped"}})
	expectCode(t, err, codes.PermissionDenied)
	namespaceCount := func() int {
		t.Helper()
		all, err := e.app.Store.ListNamespaces(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	count := namespaceCount()

	// Tokens the console did not issue for this account.
	other := make([]byte, 32)
	_, _ = rand.Read(other)
	parts := strings.Split(token, ".")
	// Another base64url letter in front: still well formed, but the
	// signature's first byte changes.
	flipped := []byte(parts[2])
	if flipped[0] == 'A' {
		flipped[0] = 'B'
	} else {
		flipped[0] = 'A'
	}
	forged := []struct {
		name, token, text string
	}{
		{"signed with another secret", sign(t, other, sa.GetId(), sa.GetUserId()), "signature"},
		{"tampered signature", parts[0] + "." + parts[1] + "." + string(flipped), "signature"},
		{"another account's claims", parts[0] + "." + claimsOf(t, sa.GetId(), "someone-else") + "." + parts[2], "signature"},
		{"no account", sign(t, other, "not-an-account", sa.GetUserId()), "no known account"},
		{"not a JWT", "hello", ""},
	}
	for _, tc := range forged {
		t.Run(tc.name, func(t *testing.T) {
			c := pb.NewNamespaceServiceClient(e.app.DialGRPC(t, testutil.PomeriumToken(tc.token)))
			_, err := c.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team, Name: "Forged " + tc.name}})
			expectCode(t, err, codes.Unauthenticated, tc.text)
		})
	}
	bearer := pb.NewNamespaceServiceClient(e.app.DialGRPC(t, map[string]string{"authorization": "Bearer " + token}))
	_, err = bearer.ListNamespaces(ctx, &pb.ListNamespacesRequest{})
	expectCode(t, err, codes.Unauthenticated, "Pomerium <")

	// An expired account stops working at once, whatever its token says.
	expiring, err := e.app.Store.GetServiceAccount(ctx, sa.GetId())
	if err != nil {
		t.Fatal(err)
	}
	expiring.ExpiresAt = time.Now().Add(-time.Second)
	if err := e.app.Store.UpdateServiceAccount(ctx, expiring); err != nil {
		t.Fatal(err)
	}
	_, err = namespaces.ListNamespaces(ctx, &pb.ListNamespacesRequest{})
	expectCode(t, err, codes.Unauthenticated, "expired")
	expiring.ExpiresAt = time.Time{}
	if err := e.app.Store.UpdateServiceAccount(ctx, expiring); err != nil {
		t.Fatal(err)
	}
	if _, err := namespaces.ListNamespaces(ctx, &pb.ListNamespacesRequest{}); err != nil {
		t.Fatalf("the account works again once it no longer expires: %v", err)
	}

	// Deleting it revokes it: the same token is refused on the next call.
	if _, err := pb.NewPomeriumServiceAccountServiceClient(admin).DeletePomeriumServiceAccount(ctx, &pb.DeletePomeriumServiceAccountRequest{Id: sa.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = namespaces.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team, Name: "After revocation"}})
	expectCode(t, err, codes.Unauthenticated, "revoked")
	if after := namespaceCount(); after != count {
		t.Fatalf("refused calls created %d namespaces", after-count)
	}
}

// TestServiceAccountMD checks the helper other tests authenticate with.
func TestServiceAccountMD(t *testing.T) {
	t.Parallel()
	app := noBrokerApp(t)
	team := app.Namespace(t, db.GlobalNamespaceID, "Team")
	md := serviceAccountMD(t, app, team, "viewer")
	if !strings.HasPrefix(md["authorization"], "Pomerium ey") {
		t.Fatalf("metadata = %v", md)
	}
	namespaces := pb.NewNamespaceServiceClient(app.DialGRPC(t, md))
	if _, err := namespaces.GetNamespace(t.Context(), &pb.GetNamespaceRequest{Id: team}); err != nil {
		t.Fatalf("a viewer cannot read its namespace: %v", err)
	}
	_, err := namespaces.SetNamespace(t.Context(), &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team, Name: "No"}})
	expectCode(t, err, codes.PermissionDenied)
}

// sign makes a service account token for account id and user sub with key.
func sign(t *testing.T, key []byte, id, sub string) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok, err := jwt.Signed(signer).Claims(jwt.Claims{ID: id, Subject: sub, IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now)}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// claimsOf is the encoded claims segment of a token for id and sub.
func claimsOf(t *testing.T, id, sub string) string {
	t.Helper()
	return strings.Split(sign(t, []byte("any key will do, it is thrown away"), id, sub), ".")[1]
}
