package databroker_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	if err := lis.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestTransportsAndErrors(t *testing.T) {
	t.Parallel()
	plain := databrokertest.Start(t)
	tlsSrv := databrokertest.Start(t, databrokertest.WithTLS())
	noKey := databrokertest.Start(t, databrokertest.WithoutSharedKey())
	slow := databrokertest.Start(t)
	slow.SetDelay(time.Second)
	failing := databrokertest.Start(t)
	failing.SetFailure(codes.Internal, "disk full")
	down := "http://" + freeAddr(t)
	https := "https://" + tlsSrv.Addr()
	_, port, _ := net.SplitHostPort(tlsSrv.Addr())
	byName := "https://localhost:" + port

	tests := []struct {
		name     string
		opts     databroker.Options
		timeout  time.Duration
		wantCode codes.Code
		wantMsg  string // exact Explain text; "" when the call succeeds
	}{
		{"h2c", databroker.Options{URL: plain.URL(), SharedSecret: plain.SharedSecret()}, 0, codes.OK, ""},
		{"TLS with CA and override name", databroker.Options{URL: https, SharedSecret: tlsSrv.SharedSecret(), CAPEM: tlsSrv.CAPEM(), OverrideName: databrokertest.ServerName}, 0, codes.OK, ""},
		{"TLS skipping verification", databroker.Options{URL: https, SharedSecret: tlsSrv.SharedSecret(), InsecureSkipVerify: true}, 0, codes.OK, ""},
		{"wrong secret", databroker.Options{URL: plain.URL(), SharedSecret: secret}, 0, codes.Unauthenticated,
			"the databroker refused the shared secret (Unauthenticated)"},
		{"Core without a shared key", databroker.Options{URL: noKey.URL(), SharedSecret: secret}, 0, codes.Unavailable,
			"the databroker has no shared secret configured; set shared_secret in Pomerium (Unavailable)"},
		{"nothing listening", databroker.Options{URL: down, SharedSecret: secret}, 0, codes.Unavailable,
			"cannot reach the databroker at " + down + ": connection refused (Unavailable)"},
		{"slow", databroker.Options{URL: slow.URL(), SharedSecret: slow.SharedSecret()}, 100 * time.Millisecond, codes.DeadlineExceeded,
			"the databroker at " + slow.URL() + " did not answer in time (DeadlineExceeded)"},
		{"server error", databroker.Options{URL: failing.URL(), SharedSecret: failing.SharedSecret()}, 0, codes.Internal,
			"the databroker answered with an error: disk full (Internal)"},
		{"TLS without the CA", databroker.Options{URL: https, SharedSecret: tlsSrv.SharedSecret(), OverrideName: databrokertest.ServerName}, 0, codes.Unavailable,
			"cannot reach the databroker at " + https + ": TLS: certificate signed by an unknown authority; set the CA (Unavailable)"},
		{"TLS without the override name", databroker.Options{URL: https, SharedSecret: tlsSrv.SharedSecret(), CAPEM: tlsSrv.CAPEM()}, 0, codes.Unavailable,
			"cannot reach the databroker at " + https + ": TLS: the certificate is not valid for this address; set the override name (Unavailable)"},
		{"TLS for another name", databroker.Options{URL: byName, SharedSecret: tlsSrv.SharedSecret(), CAPEM: tlsSrv.CAPEM()}, 0, codes.Unavailable,
			"cannot reach the databroker at " + byName + ": TLS: the certificate is not valid for this name; set the override name (Unavailable)"},
		{"https URL for an h2c server", databroker.Options{URL: "https://" + plain.Addr(), SharedSecret: plain.SharedSecret(), InsecureSkipVerify: true}, 0, codes.Unavailable,
			"cannot reach the databroker at https://" + plain.Addr() + ": it does not speak TLS; use an http:// URL (Unavailable)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := databroker.Dial(t.Context(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Close() }()
			ctx := t.Context()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			_, err = c.ServerInfo(ctx)
			if status.Code(err) != tc.wantCode {
				t.Fatalf("ServerInfo: %v, want code %v", err, tc.wantCode)
			}
			if err == nil {
				return
			}
			if got := databroker.Explain(err); got != tc.wantMsg {
				t.Fatalf("Explain = %q\nwant      %q", got, tc.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "databroker: server info: ") {
				t.Fatalf("error %q lacks the package and call prefix", err)
			}
			if strings.Contains(err.Error(), tc.opts.SharedSecret) {
				t.Fatal("the error repeats the secret")
			}
		})
	}
}

func TestHTTPURLForATLSServer(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t, databrokertest.WithTLS())
	c, err := databroker.Dial(t.Context(), databroker.Options{URL: "http://" + s.Addr(), SharedSecret: s.SharedSecret()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_, err = c.ServerInfo(t.Context())
	if status.Code(err) != codes.Unavailable || !strings.HasPrefix(databroker.Explain(err), "cannot reach the databroker at http://"+s.Addr()) {
		t.Fatalf("h2c to a TLS server: %v", err)
	}
	t.Log(databroker.Explain(err))
}

func TestRetryAfterRestart(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	s.Stop()
	_, err := c.PutMessage(t.Context(), "console", bigStruct(t))
	if status.Code(err) != codes.Unavailable || !strings.Contains(databroker.Explain(err), "connection refused") {
		t.Fatalf("put while down: %v", err)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	b := databroker.Backoff{Initial: 10 * time.Millisecond, Max: 200 * time.Millisecond}
	for attempt := 0; ; attempt++ {
		if _, err = c.PutMessage(t.Context(), "console", bigStruct(t)); err == nil || attempt == 40 {
			break
		}
		time.Sleep(b.Delay(attempt))
	}
	if err != nil {
		t.Fatalf("put after restart: %v", err)
	}
	if s.Puts(databroker.TypeURL(bigStruct(t)), "console") != 1 {
		t.Fatal("the put did not land exactly once")
	}
}

func TestTooLargeForCore(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	big := &pb.Record{Type: "t", Id: "big", Data: &anypb.Any{TypeUrl: "t", Value: make([]byte, databrokertest.MaxMessageSize)}}
	_, err := c.Put(t.Context(), big)
	if status.Code(err) != codes.ResourceExhausted || !strings.HasPrefix(databroker.Explain(err), "the databroker refused a message this large") {
		t.Fatalf("put of %d bytes: %v", databrokertest.MaxMessageSize, err)
	}
	if s.PutCalls() != 0 {
		t.Fatal("the refused put was stored")
	}
}
