package grpcapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

func TestPlaintextIsRefused(t *testing.T) {
	app := testutil.NewApp(t)
	addr, _ := app.ServeGRPC(t)
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("plaintext call: err = %v, want Unavailable", err)
	}
}

func TestHealthNeedsNoCaller(t *testing.T) {
	app := testutil.NewApp(t)
	resp, err := healthpb.NewHealthClient(app.DialGRPC(t, nil)).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v %v", resp, err)
	}
}

func TestCallsNeedAnAuthenticatedCaller(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"))
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		md   map[string]string
		msg  string
	}{
		{"no metadata", nil, `"authorization: Pomerium <token>"`},
		{"bearer scheme", map[string]string{"authorization": "Bearer abc"}, `must be "Pomerium <service account token>"`},
		{"garbage token", testutil.PomeriumToken("abc"), ""},
		{"assertion signed by another key", testutil.AssertionMD(testutil.SignAssertion(t, otherKey, testutil.Claims{
			Subject: "u1", Email: "admin@example.com", Audience: []string{testutil.Audience},
		})), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pb.NewNamespaceServiceClient(app.DialGRPC(t, tc.md)).ListNamespaces(context.Background(), &pb.ListNamespacesRequest{})
			if status.Code(err) != codes.Unauthenticated || !strings.Contains(status.Convert(err).Message(), tc.msg) {
				t.Fatalf("err = %v, want Unauthenticated containing %q", err, tc.msg)
			}
		})
	}

	resp, err := pb.NewNamespaceServiceClient(app.DialGRPC(t, callerMD(t, app, "u1", "admin@example.com"))).
		ListNamespaces(context.Background(), &pb.ListNamespacesRequest{})
	if err != nil || len(resp.GetNamespaces()) == 0 {
		t.Fatalf("an administrator behind Pomerium: %v, %v", resp, err)
	}
}
