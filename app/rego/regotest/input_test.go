package regotest

import (
	"encoding/json"
	"testing"
)

// TestInputJSON checks the input document has Core's shape (rego-contract
// §1), which is what OPA sees.
func TestInputJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []InputOption
		want string
	}{
		{"anonymous GET", nil,
			`{"http":{"method":"GET","host":"example.com","hostname":"example.com","path":"/","raw_path":"/","raw_query":"",` +
				`"url":"https://example.com/","headers":{},"client_certificate":{"presented":false},"ip":"192.0.2.1","body":""},` +
				`"ssh":{"username":"","publickey":null},"mcp":{"id":{}},"session":{"id":""},"is_valid_client_certificate":true}`},
		{"path, query and headers", []InputOption{WithPath("/a%20b?z=1&a=2"), WithHeader("x-forwarded-for", "1.2.3.4"), WithHeader(":Authority", "h")},
			`{"http":{"method":"GET","host":"example.com","hostname":"example.com","path":"/a b","raw_path":"/a%20b","raw_query":"z=1\u0026a=2",` +
				`"url":"https://example.com/a%20b?a=2\u0026z=1","headers":{":authority":"h","X-Forwarded-For":"1.2.3.4"},"client_certificate":{"presented":false},` +
				`"ip":"192.0.2.1","body":""},"ssh":{"username":"","publickey":null},"mcp":{"id":{}},"session":{"id":""},"is_valid_client_certificate":true}`},
		{"ssh", []InputOption{WithSSH("alice", []byte{1, 2, 3}), WithSession("s1")},
			`{"http":{"method":"","host":"","hostname":"example.com","path":"","raw_path":"","raw_query":"","url":"","headers":null,` +
				`"client_certificate":{"presented":false},"ip":"192.0.2.1","body":""},"ssh":{"username":"alice","publickey":"AQID"},` +
				`"mcp":{"id":{}},"session":{"id":"s1"},"is_valid_client_certificate":true}`},
		{"mcp tool call and certificate", []InputOption{WithMCP("tools/call", "search"), WithClientCertificate("PEM", false)},
			`{"http":{"method":"GET","host":"example.com","hostname":"example.com","path":"/","raw_path":"/","raw_query":"",` +
				`"url":"https://example.com/","headers":{},"client_certificate":{"presented":true,"leaf":"PEM"},"ip":"192.0.2.1","body":""},` +
				`"ssh":{"username":"","publickey":null},"mcp":{"id":{},"method":"tools/call","tool_call":{"name":"search","arguments":{}}},` +
				`"session":{"id":""},"is_valid_client_certificate":false}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(NewInput(tc.opts...))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
