package rego_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

func TestAcceptReject(t *testing.T) {
	t.Parallel()
	criterionCases(t, "accept: true", []evalCase{{name: "accept", in: anonymous, allow: pass("accept")}})
	criterionCases(t, "reject: true", []evalCase{{name: "reject", in: withS1, records: signedIn, allow: fail("reject")}})
}

// TestStringOperators runs every string-matcher operator through
// http_path, a plain criterion, so only the matcher decides.
func TestStringOperators(t *testing.T) {
	t.Parallel()
	path := func(p string) rego.Input { return regotest.NewInput(regotest.WithPath(p)) }
	ok, no := pass("http-path-ok"), fail("http-path-unauthorized")
	tests := []struct {
		matcher string
		cases   []evalCase
	}{
		{"/admin", []evalCase{{name: "bare value is `is`", in: path("/admin"), allow: ok}, {name: "prefix only", in: path("/admin/x"), allow: no}}},
		{"{is: /admin}", []evalCase{{name: "equal", in: path("/admin"), allow: ok}, {name: "case differs", in: path("/Admin"), allow: no}}},
		{"{not: /admin}", []evalCase{{name: "other", in: path("/x"), allow: ok}, {name: "equal", in: path("/admin"), allow: no}}},
		{"{contains: dmi}", []evalCase{{name: "inside", in: path("/admin"), allow: ok}, {name: "absent", in: path("/root"), allow: no}}},
		{"{starts_with: /api/}", []evalCase{{name: "prefix", in: path("/api/v1"), allow: ok}, {name: "no slash", in: path("/api"), allow: no}}},
		{"{ends_with: .json}", []evalCase{{name: "suffix", in: path("/a.json"), allow: ok}, {name: "middle", in: path("/a.json/b"), allow: no}}},
		{"{in: [/a, /b]}", []evalCase{{name: "listed", in: path("/b"), allow: ok}, {name: "unlisted", in: path("/c"), allow: no}}},
		{"{not_in: [/a, /b]}", []evalCase{{name: "unlisted", in: path("/c"), allow: ok}, {name: "listed", in: path("/a"), allow: no}}},
		{"{starts_with: /api/, ends_with: .json, not: /api/secret.json}", []evalCase{
			{name: "all hold", in: path("/api/x.json"), allow: ok},
			{name: "one fails", in: path("/api/x.xml"), allow: no},
			{name: "not fails", in: path("/api/secret.json"), allow: no},
		}},
		{`"/a b"`, []evalCase{{name: "decoded path", in: path("/a%20b"), allow: ok}}},
		{`'/q"uote\back'`, []evalCase{{name: "quotes and backslashes survive", in: path(`/q"uote\back`), allow: ok}}},
		{`"/ünï"`, []evalCase{{name: "unicode", in: path("/ünï"), allow: ok}}},
	}
	for _, tc := range tests {
		t.Run(tc.matcher, func(t *testing.T) {
			t.Parallel()
			criterionCases(t, "http_path: "+tc.matcher, tc.cases)
		})
	}
}

// TestListOperators runs every string-list operator through a claim.
func TestListOperators(t *testing.T) {
	t.Parallel()
	roles := func(values ...any) []regotest.Record {
		return []regotest.Record{aliceSession.WithClaims(map[string]any{"roles": values}), alice}
	}
	ok, no := pass("claim-ok"), fail("claim-unauthorized")
	tests := []struct {
		matcher string
		cases   []evalCase
	}{
		{"admin", []evalCase{{name: "bare value is `has`", in: withS1, records: roles("x", "admin"), allow: ok}}},
		{"{has: admin}", []evalCase{
			{name: "among others", in: withS1, records: roles("x", "admin"), allow: ok},
			{name: "absent", in: withS1, records: roles("x"), allow: no},
		}},
		{"{is: admin}", []evalCase{
			{name: "only value", in: withS1, records: roles("admin"), allow: ok},
			{name: "among others", in: withS1, records: roles("admin", "x"), allow: no},
			{name: "empty", in: withS1, records: roles(), allow: no},
		}},
		{"{exclude: admin}", []evalCase{
			{name: "absent", in: withS1, records: roles("x"), allow: ok},
			{name: "no claim at all", in: withS1, records: signedIn, allow: ok},
			{name: "present", in: withS1, records: roles("x", "admin"), allow: no},
		}},
		{"{has: a, exclude: b}", []evalCase{
			{name: "both hold", in: withS1, records: roles("a", "c"), allow: ok},
			{name: "exclude fails", in: withS1, records: roles("a", "b"), allow: no},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.matcher, func(t *testing.T) {
			t.Parallel()
			criterionCases(t, "claim/roles: "+tc.matcher, tc.cases)
		})
	}
}

func TestHTTPMethod(t *testing.T) {
	t.Parallel()
	method := func(m string) rego.Input { return regotest.NewInput(regotest.WithMethod(m)) }
	criterionCases(t, "http_method: {in: [GET, HEAD]}", []evalCase{
		{name: "GET", in: method("GET"), allow: pass("http-method-ok")},
		{name: "POST", in: method("POST"), allow: fail("http-method-unauthorized")},
		{name: "case-sensitive", in: method("get"), allow: fail("http-method-unauthorized")},
	})
}

func TestHTTPPath(t *testing.T) {
	t.Parallel()
	criterionCases(t, "http_path: {starts_with: /admin}", []evalCase{
		{name: "match", in: regotest.NewInput(regotest.WithPath("/admin/users?x=1")), allow: pass("http-path-ok")},
		{name: "query is not the path", in: regotest.NewInput(regotest.WithPath("/?/admin")), allow: fail("http-path-unauthorized")},
	})
}

func TestSourceIP(t *testing.T) {
	t.Parallel()
	ip := func(s string) rego.Input { return regotest.NewInput(regotest.WithIP(s)) }
	ok, no := pass("source-ip-ok"), fail("source-ip-unauthorized")
	criterionCases(t, "source_ip: [10.0.0.0/8, 2001:db8::/32, 192.0.2.7, '2001:db8:ffff::1']", []evalCase{
		{name: "v4 in cidr", in: ip("10.1.2.3"), allow: ok},
		{name: "v4 outside", in: ip("11.0.0.1"), allow: no},
		{name: "bare v4", in: ip("192.0.2.7"), allow: ok},
		{name: "next to bare v4", in: ip("192.0.2.8"), allow: no},
		{name: "v6 in cidr", in: ip("2001:db8:1::5"), allow: ok},
		{name: "v6 outside", in: ip("2001:db9::1"), allow: no},
		{name: "no ip", in: ip(""), allow: no},
		{name: "not an ip", in: ip("nonsense"), allow: no},
	})
	criterionCases(t, "source_ip: 2001:db8::1", []evalCase{
		{name: "bare v6", in: ip("2001:db8::1"), allow: ok},
		{name: "next to bare v6", in: ip("2001:db8::2"), allow: no},
	})
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	preflight := []regotest.InputOption{regotest.WithMethod("OPTIONS"),
		regotest.WithHeader("origin", "https://app.example.com"), regotest.WithHeader("access-control-request-method", "POST")}
	criterionCases(t, "cors_preflight: true", []evalCase{
		{name: "preflight", in: regotest.NewInput(preflight...), allow: pass("cors-request")},
		{name: "GET with the headers", in: regotest.NewInput(append(preflight, regotest.WithMethod("GET"))...),
			allow: fail("non-cors-request")},
		{name: "no origin", in: regotest.NewInput(preflight[0], preflight[2]), allow: fail("non-cors-request")},
		{name: "empty origin", in: regotest.NewInput(append(preflight, regotest.WithHeader("Origin", ""))...),
			allow: fail("non-cors-request")},
		{name: "no request method", in: regotest.NewInput(preflight[:2]...), allow: fail("non-cors-request")},
	})
}

func TestInvalidClientCertificate(t *testing.T) {
	t.Parallel()
	leaf := newCert(t, certOptions{}).pem
	// Core adds this criterion as a deny rule; its results are inverted
	// from the usual sense.
	module := compile(t, "deny:\n  or:\n    - invalid_client_certificate: true")
	runCases(t, module, []evalCase{
		{name: "valid", in: regotest.NewInput(regotest.WithClientCertificate(leaf, true)),
			deny: ptr(fail("valid-client-certificate"))},
		{name: "no CA applies", in: anonymous, deny: ptr(fail("valid-client-certificate"))},
		{name: "required, not presented", in: regotest.NewInput(regotest.WithClientCertificateRequired()),
			deny: ptr(pass("client-certificate-required"))},
		{name: "presented, invalid", in: regotest.NewInput(regotest.WithClientCertificate(leaf, false)),
			deny: ptr(pass("invalid-client-certificate"))},
	})
}

func TestMCPTool(t *testing.T) {
	t.Parallel()
	mcp := func(method, tool string) rego.Input { return regotest.NewInput(regotest.WithMCP(method, tool)) }
	criterionCases(t, "mcp_tool: {starts_with: read_}", []evalCase{
		{name: "not MCP", in: anonymous, allow: fail("mcp-not-a-tool-call")},
		{name: "other method", in: mcp("tools/list", ""), allow: fail("mcp-not-a-tool-call")},
		{name: "matching tool", in: mcp("tools/call", "read_file"), allow: pass("mcp-tool-match")},
		{name: "other tool", in: mcp("tools/call", "write_file"), allow: fail("mcp-tool-no-match")},
		{name: "call without tool", in: mcp("tools/call", ""), allow: fail("mcp-tool-no-match")},
	})
}
