package databrokertest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// signRaw signs arbitrary header and claims JSON with HS256, to build the
// tokens Core must refuse.
func signRaw(key []byte, header, claims string) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}

// tamper swaps the claims of token for claims, keeping its signature.
func tamper(token, claims string) string {
	parts := strings.Split(token, ".")
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(claims))
	return strings.Join(parts, ".")
}

const hs256 = `{"alg":"HS256","typ":"JWT"}`

func TestVerifyToken(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Unix(1_800_000_000, 0)
	future, past := now.Add(time.Hour).Unix(), now.Add(-time.Second).Unix()
	valid := signRaw(key, hs256, fmt.Sprintf(`{"exp":%d}`, future))
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"the client's token", databroker.SignToken(key, now), true},
		{"hand-made exp only", valid, true},
		{"exp as a float", signRaw(key, hs256, fmt.Sprintf(`{"exp":%d.5}`, future)), true},
		{"extra iat claim", signRaw(key, hs256, fmt.Sprintf(`{"exp":%d,"iat":%d}`, future, now.Unix())), false},
		{"extra string claim", signRaw(key, hs256, fmt.Sprintf(`{"exp":%d,"iss":"console"}`, future)), false},
		{"no exp", signRaw(key, hs256, fmt.Sprintf(`{"nbf":%d}`, future)), false},
		{"no claims", signRaw(key, hs256, `{}`), false},
		{"exp not a number", signRaw(key, hs256, `{"exp":"tomorrow"}`), false},
		{"expired", signRaw(key, hs256, fmt.Sprintf(`{"exp":%d}`, past)), false},
		{"wrong key", databroker.SignToken([]byte("another key, also thirty-two byt"), now), false},
		{"alg none", signRaw(key, `{"alg":"none"}`, fmt.Sprintf(`{"exp":%d}`, future)), false},
		{"alg HS512", signRaw(key, `{"alg":"HS512"}`, fmt.Sprintf(`{"exp":%d}`, future)), false},
		{"tampered claims", tamper(valid, fmt.Sprintf(`{"exp":%d}`, future+1)), false},
		{"two parts", valid[:strings.LastIndex(valid, ".")], false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := databrokertest.VerifyToken(key, tc.token, now)
			if (err == nil) != tc.ok {
				t.Fatalf("VerifyToken = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// rawConn dials s without any credentials, so a test can send what metadata
// it likes.
func rawConn(t *testing.T, s *databrokertest.Server) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(s.Addr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestServerRefusesBadTokens(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	key, err := databroker.DecodeSharedSecret(s.SharedSecret())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	conn := rawConn(t, s)
	api, checkpoints := pb.NewDataBrokerServiceClient(conn), pb.NewCheckpointServiceClient(conn)
	tests := []struct {
		name     string
		tokens   []string
		call     func(context.Context) error
		wantCode codes.Code
		wantMsg  string
	}{
		{"no token", nil, getCall(api), codes.Unauthenticated, "unauthenticated"},
		{"extra claim", []string{signRaw(key, hs256, fmt.Sprintf(`{"exp":%d,"sub":"x"}`, now.Add(time.Hour).Unix()))}, getCall(api), codes.Unauthenticated, "invalid JWT"},
		{"expired", []string{signRaw(key, hs256, fmt.Sprintf(`{"exp":%d}`, now.Add(-time.Minute).Unix()))}, getCall(api), codes.Unauthenticated, "invalid JWT"},
		{"wrong key", []string{databroker.SignToken([]byte("not the key, but thirty-two byte"), now)}, getCall(api), codes.Unauthenticated, "invalid JWT"},
		{"good token", []string{databroker.SignToken(key, now)}, getCall(api), codes.NotFound, "record not found"},
		{"streams are checked", []string{"garbage"}, syncLatestCall(api), codes.Unauthenticated, "invalid JWT"},
		{"good token on a stream", []string{databroker.SignToken(key, now)}, syncLatestCall(api), codes.OK, ""},
		{"checkpoint service is checked", nil, func(ctx context.Context) error {
			_, err := checkpoints.GetCheckpoint(ctx, &pb.GetCheckpointRequest{})
			return err
		}, codes.Unauthenticated, "unauthenticated"},
		{"checkpoint service with a good token", []string{databroker.SignToken(key, now)}, func(ctx context.Context) error {
			_, err := checkpoints.GetCheckpoint(ctx, &pb.GetCheckpointRequest{})
			return err
		}, codes.Unimplemented, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			for _, tok := range tc.tokens {
				ctx = metadata.AppendToOutgoingContext(ctx, databroker.JWTMetadataKey, tok)
			}
			st := status.Convert(tc.call(ctx))
			if st.Code() != tc.wantCode || (tc.wantMsg != "" && st.Message() != tc.wantMsg) {
				t.Fatalf("got %v %q, want %v %q", st.Code(), st.Message(), tc.wantCode, tc.wantMsg)
			}
		})
	}
}

func TestServerWithoutSharedKey(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t, databrokertest.WithoutSharedKey())
	api := pb.NewDataBrokerServiceClient(rawConn(t, s))
	ctx := metadata.AppendToOutgoingContext(t.Context(), databroker.JWTMetadataKey, databroker.SignToken([]byte("k"), time.Now()))
	_, err := api.ServerInfo(ctx, &emptypb.Empty{})
	if st := status.Convert(err); st.Code() != codes.Unavailable || st.Message() != "no shared key defined" {
		t.Fatalf("got %v %q, want Unavailable \"no shared key defined\"", st.Code(), st.Message())
	}
}

func getCall(api pb.DataBrokerServiceClient) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := api.Get(ctx, &pb.GetRequest{Type: "t", Id: "missing"})
		return err
	}
}

func syncLatestCall(api pb.DataBrokerServiceClient) func(context.Context) error {
	return func(ctx context.Context) error {
		stream, err := api.SyncLatest(ctx, &pb.SyncLatestRequest{Type: "t"})
		if err != nil {
			return err
		}
		for {
			if _, err := stream.Recv(); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
		}
	}
}
