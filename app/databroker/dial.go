package databroker

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// Options say where a databroker is and how to authenticate to it.
type Options struct {
	// URL is the databroker service URL: "http://host:port" for plaintext
	// h2c (Core's default grpc listener), "https://host:port" for TLS.
	URL string
	// SharedSecret is Core's shared_secret setting as written there (base64).
	SharedSecret string
	// CAPEM, when set, replaces the system roots for verifying a TLS server.
	CAPEM []byte
	// OverrideName, when set, is the name the TLS certificate must carry
	// instead of the URL's host.
	OverrideName string
	// InsecureSkipVerify accepts any TLS certificate; for tests and lab setups.
	InsecureSkipVerify bool
}

// Client talks to one databroker. It is safe for concurrent use, connects
// lazily and reconnects by itself, so it is meant to be kept, not dialled
// per call.
type Client struct {
	url  string
	conn *grpc.ClientConn
	api  pb.DataBrokerServiceClient
}

// reconnect bounds how long a client waits between connection attempts once
// a databroker is down; gRPC's default grows to two minutes, too long for
// "the databroker is back, retry now".
var reconnect = grpc.ConnectParams{
	Backoff: backoff.Config{
		BaseDelay:  100 * time.Millisecond,
		Multiplier: 1.6,
		Jitter:     0.2,
		MaxDelay:   5 * time.Second,
	},
	MinConnectTimeout: 5 * time.Second,
}

// maxRecvMessage lifts gRPC's 4 MiB default for answers, so a large Config
// record (thousands of routes) can still be read back.
const maxRecvMessage = 64 << 20

// Dial checks opts and returns a client for that databroker. It does no
// network I/O (the context is taken for symmetry with the calls): an
// unreachable databroker shows up as an error on the first call, so a
// console whose databroker is down still starts.
func Dial(_ context.Context, opts Options) (*Client, error) {
	target, useTLS, err := parseURL(opts.URL)
	if err != nil {
		return nil, err
	}
	key, err := DecodeSharedSecret(opts.SharedSecret)
	if err != nil {
		return nil, err
	}
	transport := insecure.NewCredentials()
	if useTLS {
		cfg, err := tlsConfig(opts)
		if err != nil {
			return nil, err
		}
		transport = credentials.NewTLS(cfg)
	}
	conn, err := grpc.NewClient(target,
		grpc.WithTransportCredentials(transport),
		grpc.WithPerRPCCredentials(jwtCredentials{key: key}),
		grpc.WithConnectParams(reconnect),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRecvMessage)),
	)
	if err != nil {
		return nil, fmt.Errorf("databroker: dial %s: %w", opts.URL, err)
	}
	return &Client{url: opts.URL, conn: conn, api: pb.NewDataBrokerServiceClient(conn)}, nil
}

// Close releases the connection; calls made afterwards fail.
func (c *Client) Close() error {
	if err := c.conn.Close(); err != nil {
		return fmt.Errorf("databroker: close: %w", err)
	}
	return nil
}

// URL is the databroker URL the client was dialled with.
func (c *Client) URL() string { return c.url }

// parseURL maps a databroker URL to a gRPC target (host:port) and whether to
// use TLS, filling in the scheme's default port as Core's clients do.
func parseURL(raw string) (target string, useTLS bool, err error) {
	if raw == "" {
		return "", false, errors.New("databroker: the databroker URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false, fmt.Errorf("databroker: the databroker URL %q does not parse: %w", raw, err)
	}
	port := ""
	switch u.Scheme {
	case "http":
		port = "80"
	case "https":
		port, useTLS = "443", true
	default:
		return "", false, fmt.Errorf("databroker: the databroker URL %q must start with http:// (h2c) or https:// (TLS)", raw)
	}
	if u.Hostname() == "" {
		return "", false, fmt.Errorf("databroker: the databroker URL %q has no host", raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", false, fmt.Errorf("databroker: the databroker URL %q must be only scheme, host and port", raw)
	}
	if p := u.Port(); p != "" {
		port = p
	}
	return net.JoinHostPort(u.Hostname(), port), useTLS, nil
}

// tlsConfig builds the client TLS settings from the CA, override-name and
// insecure options, the same three knobs Core's grpc client offers.
func tlsConfig(opts Options) (*tls.Config, error) {
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         opts.OverrideName,
		InsecureSkipVerify: opts.InsecureSkipVerify, //nolint:gosec // an explicit, documented administrator choice
	}
	if len(opts.CAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(opts.CAPEM) {
			return nil, errors.New("databroker: the CA holds no PEM certificate")
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}
