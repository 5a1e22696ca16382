package grpcapi_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// pemPair is a fresh self-signed certificate for hosts and its key, PEM.
func pemPair(t *testing.T, hosts ...string) (cert, key []byte) {
	t.Helper()
	certFile, keyFile := apptest.WriteCert(t, t.TempDir(), hosts...)
	cert, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if key, err = os.ReadFile(keyFile); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func TestKeyPairLifecycle(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	client := pb.NewKeyChainServiceClient(e.admin)
	cert, key := pemPair(t, "app.example.com", "10.0.0.1")

	before := storetest.Capture(t, e.app.Store)
	made, err := client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{
		Name: "App", NamespaceId: nsProduction, Format: pb.Format_PEM, Certificate: cert, Key: key,
	})
	if err != nil {
		t.Fatal(err)
	}
	before.Changed(t, e.app.Store)
	k := made.GetKeyPair()
	info := k.GetCertInfo()
	if k.GetId() == "" || !k.GetHasPrivateKey() || !strings.Contains(string(k.GetCertificate()), "BEGIN CERTIFICATE") ||
		info.GetSubject().GetCommonName() != "app.example.com" || !slices.Equal(info.GetDnsNames(), []string{"app.example.com"}) ||
		!slices.Equal(info.GetIpAddresses(), []string{"10.0.0.1"}) || info.GetVersion() != 3 || info.GetNotAfter() == nil {
		t.Fatalf("created key pair = %v", k)
	}
	stored, err := e.app.Store.GetKeyPair(ctx, k.GetId())
	if err != nil || stored.SealedKey == "" || strings.Contains(stored.SealedKey, "PRIVATE KEY") {
		t.Fatalf("the key is not stored sealed: %v", err)
	}

	got, err := client.GetKeyPair(ctx, &pb.GetKeyPairRequest{Id: k.GetId()})
	if err != nil || got.GetKeyPair().GetName() != "App" || info.GetSerial() != got.GetKeyPair().GetCertInfo().GetSerial() {
		t.Fatalf("GetKeyPair = %v, %v", got, err)
	}

	// Rename and drop the key; the certificate stays.
	name := "App (no key)"
	updated, err := client.UpdateKeyPair(ctx, &pb.UpdateKeyPairRequest{Id: k.GetId(), Name: &name, Key: []byte{}})
	if err != nil {
		t.Fatal(err)
	}
	if u := updated.GetKeyPair(); u.GetName() != name || u.GetHasPrivateKey() || string(u.GetCertificate()) != string(k.GetCertificate()) {
		t.Fatalf("updated key pair = %v", u)
	}

	other, _ := pemPair(t, "other.example.com")
	mine, err := client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "Other", NamespaceId: nsProduction, Certificate: other})
	if err != nil {
		t.Fatal(err)
	}
	domain := "app.example.com"
	list, err := client.ListKeyPairs(ctx, &pb.ListKeyPairsRequest{NamespaceId: nsProduction, Domain: &domain})
	if err != nil || list.GetTotalCount() != 1 || list.GetKeyPairs()[0].GetId() != k.GetId() {
		t.Fatalf("pairs for %s = %v, %v", domain, list, err)
	}
	list, err = client.ListKeyPairs(ctx, &pb.ListKeyPairsRequest{NamespaceId: nsProduction})
	if err != nil || list.GetTotalCount() != 2 || list.GetKeyPairs()[1].GetId() != mine.GetKeyPair().GetId() {
		t.Fatalf("all pairs = %v, %v", list, err)
	}

	if _, err := client.DeleteKeyPair(ctx, &pb.DeleteKeyPairRequest{Id: k.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetKeyPair(ctx, &pb.GetKeyPairRequest{Id: k.GetId()})
	expectCode(t, err, codes.NotFound, "does not exist")
}

func TestKeyPairRefusals(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	client := pb.NewKeyChainServiceClient(e.admin)
	cert, key := pemPair(t, "app.example.com")
	_, otherKey := pemPair(t, "other.example.com")
	made, err := client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "Used", NamespaceId: nsProduction, Certificate: cert, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	id := made.GetKeyPair().GetId()
	if _, err := pb.NewRouteServiceClient(e.admin).SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{NamespaceId: nsProduction,
		Name: "mTLS", From: "https://mtls.example.com", To: []string{"https://up.internal"}, TlsClientKeyPairId: &id}}); err != nil {
		t.Fatal(err)
	}
	viewer := pb.NewKeyChainServiceClient(e.as(t, "u-viewer", rbac.RoleViewer, nsProduction))
	before := storetest.Capture(t, e.app.Store)

	_, err = client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "x", NamespaceId: nsProduction, Certificate: []byte("nope"), Format: pb.Format(7)})
	expectCode(t, err, codes.InvalidArgument, "format: must be one of FORMAT_UNDEFINED_DO_NOT_USE, PEM (got 7)")
	_, err = client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "x", Certificate: cert, Id: valueRef("mine")})
	expectCode(t, err, codes.InvalidArgument, "id: the console chooses", "namespace_id: ")
	_, err = client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "x", NamespaceId: "nope", Certificate: cert})
	expectCode(t, err, codes.InvalidArgument, "namespace_id: namespace nope does not exist")
	_, err = client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "", NamespaceId: nsProduction, Certificate: []byte("nope"), Key: otherKey})
	expectCode(t, err, codes.InvalidArgument, "certificate: is not PEM", "name: enter a name")
	_, err = client.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "Mismatch", NamespaceId: nsProduction, Certificate: cert, Key: otherKey})
	expectCode(t, err, codes.InvalidArgument, "key: does not belong to this certificate")
	_, err = viewer.CreateKeyPair(ctx, &pb.CreateKeyPairRequest{Name: "x", NamespaceId: nsProduction, Certificate: cert})
	expectCode(t, err, codes.PermissionDenied, `manager role on namespace "Production"`)
	_, err = client.UpdateKeyPair(ctx, &pb.UpdateKeyPairRequest{Id: "nope", Name: valueRef("x")})
	expectCode(t, err, codes.NotFound, "key pair nope does not exist")
	_, err = client.UpdateKeyPair(ctx, &pb.UpdateKeyPairRequest{Id: id, Key: otherKey})
	expectCode(t, err, codes.InvalidArgument, "key: does not belong to this certificate")
	_, err = client.DeleteKeyPair(ctx, &pb.DeleteKeyPairRequest{Id: id})
	expectCode(t, err, codes.FailedPrecondition, `key pair "Used" is still used by route "mTLS"`)
	_, err = viewer.DeleteKeyPair(ctx, &pb.DeleteKeyPairRequest{Id: id})
	expectCode(t, err, codes.PermissionDenied)
	_, err = client.ListKeyPairs(ctx, &pb.ListKeyPairsRequest{})
	expectCode(t, err, codes.InvalidArgument, "namespace_id: ")
	before.Unchanged(t, e.app.Store)
}

func valueRef[T any](v T) *T { return &v }
