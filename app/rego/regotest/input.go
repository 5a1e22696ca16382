package regotest

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
)

// InputOption changes the request NewInput builds.
type InputOption func(*rego.Input)

// NewInput is an anonymous HTTP GET of https://example.com/ from
// 192.0.2.1 without a client certificate (and none required), changed by
// opts.
func NewInput(opts ...InputOption) rego.Input {
	in := rego.Input{
		HTTP: rego.HTTPInput{
			Method: "GET", Host: "example.com", Hostname: "example.com",
			Headers: map[string]string{}, IP: "192.0.2.1",
		},
		IsValidClientCertificate: true,
	}
	WithPath("/")(&in)
	for _, o := range opts {
		o(&in)
	}
	return in
}

// WithSession sets input.session.id, a session or service-account id.
func WithSession(id string) InputOption {
	return func(in *rego.Input) { in.Session.ID = id }
}

// WithMethod sets the HTTP method.
func WithMethod(method string) InputOption {
	return func(in *rego.Input) { in.HTTP.Method = method }
}

// WithPath sets the raw path and query (e.g. "/a%20b?x=1") and the fields
// Core derives from them: the decoded path, the query and the URL.
func WithPath(rawPath string) InputOption {
	return func(in *rego.Input) {
		p, q, _ := strings.Cut(rawPath, "?")
		in.HTTP.RawPath, in.HTTP.RawQuery = p, q
		in.HTTP.Path = p
		if dec, err := url.PathUnescape(p); err == nil {
			in.HTTP.Path = dec
		}
		u := url.URL{Scheme: "https", Host: in.HTTP.Hostname, Path: in.HTTP.Path}
		if vals, err := url.ParseQuery(q); err == nil {
			u.RawQuery = vals.Encode()
		}
		in.HTTP.URL = u.String()
	}
}

// WithHeader sets a header under Core's canonical name: Go's canonical
// form, pseudo-headers lower-cased.
func WithHeader(name, value string) InputOption {
	return func(in *rego.Input) {
		if strings.HasPrefix(name, ":") {
			name = strings.ToLower(name)
		} else {
			name = http.CanonicalHeaderKey(name)
		}
		in.HTTP.Headers[name] = value
	}
}

// WithIP sets the client address.
func WithIP(ip string) InputOption {
	return func(in *rego.Input) { in.HTTP.IP = ip }
}

// WithClientCertificate presents leafPEM; valid is Core's own verdict
// (is_valid_client_certificate).
func WithClientCertificate(leafPEM string, valid bool) InputOption {
	return func(in *rego.Input) {
		in.HTTP.ClientCertificate = rego.ClientCertificateInput{Presented: leafPEM != "", Leaf: leafPEM}
		in.IsValidClientCertificate = valid
	}
}

// WithClientCertificateRequired makes Core's verdict false, as when a
// client CA applies, without presenting a certificate.
func WithClientCertificateRequired() InputOption {
	return func(in *rego.Input) {
		in.HTTP.ClientCertificate = rego.ClientCertificateInput{}
		in.IsValidClientCertificate = false
	}
}

// WithSSH makes the request an SSH login: Core fills only the hostname,
// the IP, the SSH fields and the session. publicKey is the wire format.
func WithSSH(username string, publicKey []byte) InputOption {
	return func(in *rego.Input) {
		in.HTTP = rego.HTTPInput{Hostname: in.HTTP.Hostname, IP: in.HTTP.IP}
		in.SSH = rego.SSHInput{Username: username, PublicKey: publicKey}
	}
}

// WithMCP sets the JSON-RPC method of an MCP request; tool names the tool
// of a tools/call ("" for none).
func WithMCP(method, tool string) InputOption {
	return func(in *rego.Input) {
		in.MCP.Method = method
		in.MCP.ToolCall = nil
		if tool != "" {
			in.MCP.ToolCall = &rego.MCPToolCall{Name: tool, Arguments: map[string]any{}}
		}
	}
}
