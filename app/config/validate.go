package config

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/logging"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
)

// Validate checks every key and returns an *Error listing all problems, each
// naming its key. Empty keys that Bootstrap fills in are not problems.
func (c *Config) Validate() error {
	var p problems
	if c.DatabaseEncryptionKey != "" {
		if _, err := seal.ParseKey(c.DatabaseEncryptionKey); err != nil {
			p.add("database_encryption_key: %v", err)
		}
	}
	if c.SigningKey != "" {
		if _, err := authn.ParseSigningKey(c.SigningKey); err != nil {
			p.add("signing_key: %v", err)
		}
	}
	if c.SharedSecret != "" {
		// The databroker's own decoder: a secret this accepts, Core and
		// the console's databroker client accept too.
		if _, err := databroker.DecodeSharedSecret(c.SharedSecret); err != nil {
			p.add("shared_secret: must be base64")
		}
	}
	checkHostPort(&p, "bind_addr", c.BindAddr)
	checkHostPort(&p, "grpc_addr", c.GRPCAddr)
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		p.add("log_level: %v", err)
	}
	c.validateTLS(&p)
	if c.DatabrokerServiceURL != "" {
		u, err := url.Parse(c.DatabrokerServiceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.add("databroker_service_url: must be an http:// or https:// URL (got %q)", c.DatabrokerServiceURL)
		}
	}
	checkNonEmpty(&p, "audience", c.Audience)
	checkNonEmpty(&p, "administrators", c.Administrators)
	return p.err()
}

func (c *Config) validateTLS(p *problems) {
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		p.add("tls_cert_file, tls_key_file: set both or neither")
	}
	_, certOK := readSetFile(p, "tls_cert_file", c.TLSCertFile)
	_, keyOK := readSetFile(p, "tls_key_file", c.TLSKeyFile)
	if c.TLSEnabled() && certOK && keyOK {
		if _, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile); err != nil {
			p.add("tls_cert_file, tls_key_file: not a usable certificate and key: %v", err)
		}
	}
	if pem, ok := readSetFile(p, "tls_ca_file", c.TLSCAFile); ok {
		if !x509.NewCertPool().AppendCertsFromPEM(pem) {
			p.add("tls_ca_file: %s holds no PEM certificate", c.TLSCAFile)
		}
	}
}

// readSetFile reads the file a key names; ok is false when the key is unset
// or the file unreadable (which adds a problem).
func readSetFile(p *problems, key, path string) (data []byte, ok bool) {
	if path == "" {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		p.add("%s: %v", key, err)
		return nil, false
	}
	return data, true
}

func checkHostPort(p *problems, key, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		p.add("%s: must be host:port, e.g. :8701 (got %q)", key, addr)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.add("%s: port must be a number from 0 to 65535 (got %q)", key, port)
	}
}

func checkNonEmpty(p *problems, key string, list []string) {
	for i, s := range list {
		if strings.TrimSpace(s) == "" {
			p.add("%s[%d]: must not be empty", key, i)
		}
	}
}
