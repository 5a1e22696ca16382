package rego

// Input is the document Core evaluates a module against (Go type
// PolicyRequest in Core, rego-contract §1). The JSON names are Core's; OPA
// reads the struct through encoding/json, as Core's evaluator does.
type Input struct {
	HTTP    HTTPInput    `json:"http"`
	SSH     SSHInput     `json:"ssh"`
	MCP     MCPInput     `json:"mcp"`
	Session SessionInput `json:"session"`
	// IsValidClientCertificate is Core's own verdict on the client
	// certificate; true when no client CA applies.
	IsValidClientCertificate bool `json:"is_valid_client_certificate"`
}

// HTTPInput is input.http.
type HTTPInput struct {
	Method   string `json:"method"`
	Host     string `json:"host"`
	Hostname string `json:"hostname"`
	// Path is URL-decoded and has no query.
	Path     string `json:"path"`
	RawPath  string `json:"raw_path"`
	RawQuery string `json:"raw_query"`
	URL      string `json:"url"`
	// Headers holds one string per canonical header name.
	Headers           map[string]string      `json:"headers"`
	ClientCertificate ClientCertificateInput `json:"client_certificate"`
	// IP is the downstream address without port.
	IP   string `json:"ip"`
	Body string `json:"body"`
}

// ClientCertificateInput is input.http.client_certificate: the chain as
// Envoy reported it, not verified.
type ClientCertificateInput struct {
	Presented     bool   `json:"presented"`
	Leaf          string `json:"leaf,omitempty"`
	Intermediates string `json:"intermediates,omitempty"`
}

// SSHInput is input.ssh; PublicKey is the SSH wire format, which JSON
// carries as base64 (null for HTTP requests).
type SSHInput struct {
	Username  string `json:"username"`
	PublicKey []byte `json:"publickey"`
}

// MCPInput is input.mcp. Core's id is always an empty object.
type MCPInput struct {
	ID       struct{}     `json:"id"`
	Method   string       `json:"method,omitempty"`
	ToolCall *MCPToolCall `json:"tool_call,omitempty"`
}

// MCPToolCall is input.mcp.tool_call, present for tools/call only.
type MCPToolCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
}

// SessionInput is input.session: the id of a session or of a service
// account, "" when the request carries neither. Core v0.33 adds user_id,
// which compiled modules do not read so that older Cores work too.
type SessionInput struct {
	ID string `json:"id"`
}

// anonymousRequest is a plain unauthenticated GET, the input Check
// evaluates a module with.
func anonymousRequest() Input {
	return Input{
		HTTP: HTTPInput{
			Method: "GET", Host: "example.com", Hostname: "example.com", Path: "/", RawPath: "/",
			URL: "https://example.com/", Headers: map[string]string{}, IP: "192.0.2.1",
		},
		IsValidClientCertificate: true,
	}
}
