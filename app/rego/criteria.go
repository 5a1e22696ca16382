package rego

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// builder turns one criterion into its rule, marking the helpers it calls.
type builder func(m *module, c ppl.Criterion) (chain, error)

// builders holds every criterion the compiler knows: Core's (rego-contract
// §3.4) and the console-only ones (date, day_of_week, time_of_day, record).
var builders = map[string]builder{
	"accept":                     accept,
	"reject":                     reject,
	"authenticated_user":         authenticatedUser,
	"cors_preflight":             corsPreflight,
	"invalid_client_certificate": invalidClientCertificate,
	"domain":                     domain,
	"email":                      email,
	"user":                       user,
	"claim":                      claim,
	"groups":                     groups,
	"http_method":                httpMethod,
	"http_path":                  httpPath,
	"source_ip":                  sourceIP,
	"client_certificate":         clientCertificate,
	"device":                     device,
	"mcp_tool":                   mcpTool,
	"ssh_username":               sshUsername,
	"ssh_username_matches_email": sshUsernameMatchesEmail,
	"ssh_username_matches_claim": sshUsernameMatchesClaim,
	"ssh_publickey":              sshPublicKey,
	"ssh_ca":                     sshCA,
	"date":                       date,
	"day_of_week":                dayOfWeek,
	"time_of_day":                timeOfDay,
	"record":                     record,
}

// Criteria lists the criterion names Compile accepts, sorted.
func Criteria() []string {
	names := make([]string, 0, len(builders))
	for name := range builders {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// criterion builds the rule of c.
func (m *module) criterion(c ppl.Criterion) (chain, error) {
	b, ok := builders[c.Name]
	if !ok {
		return nil, fmt.Errorf("unknown policy criterion %q", c.Name)
	}
	if c.SubPath != "" && c.Name != "claim" {
		return nil, fmt.Errorf("criterion %q takes no sub-path", c.Name)
	}
	return b(m, c)
}

// dataAs returns c's typed data, accepting the value or a pointer to it.
func dataAs[T ppl.Data](c ppl.Criterion) (T, error) {
	switch d := any(c.Data).(type) {
	case T:
		return d, nil
	case *T:
		if d != nil {
			return *d, nil
		}
	}
	var zero T
	return zero, fmt.Errorf("data is %T, want %T", c.Data, zero)
}

// errNoValues reports a criterion whose list of allowed values is empty,
// which would compile to a rule that can never pass.
var errNoValues = errors.New("no values to match")

func accept(*module, ppl.Criterion) (chain, error) {
	return chain{{result(true, "accept"), nil}}, nil
}

func reject(*module, ppl.Criterion) (chain, error) {
	return chain{{result(false, "reject"), nil}}, nil
}

func corsPreflight(*module, ppl.Criterion) (chain, error) {
	// Headers are strings, so count is their length: "present and non-empty".
	return plainRule("cors-request", "non-cors-request",
		`input.http.method == "OPTIONS"`,
		`count(object.get(input.http.headers, "Access-Control-Request-Method", "")) > 0`,
		`count(object.get(input.http.headers, "Origin", "")) > 0`,
	), nil
}

// invalidClientCertificate is true (a deny) unless Core found the client
// certificate valid; the reasons tell Core to answer 495.
func invalidClientCertificate(*module, ppl.Criterion) (chain, error) {
	return chain{
		{result(false, "valid-client-certificate"), []string{"input.is_valid_client_certificate == true"}},
		{result(true, "client-certificate-required"), []string{"input.http.client_certificate.presented == false"}},
		{result(true, "invalid-client-certificate"), nil},
	}, nil
}

func httpMethod(_ *module, c ppl.Criterion) (chain, error) {
	return matchInput(c, "method", "input.http.method", "http-method-ok", "http-method-unauthorized")
}

func httpPath(_ *module, c ppl.Criterion) (chain, error) {
	return matchInput(c, "path", "input.http.path", "http-path-ok", "http-path-unauthorized")
}

func sshUsername(_ *module, c ppl.Criterion) (chain, error) {
	return matchInput(c, "username", "input.ssh.username", "ssh-username-ok", "ssh-username-unauthorized")
}

// matchInput is a plain rule running c's string matcher on one input field.
func matchInput(c ppl.Criterion, name, ref, pass, fail string) (chain, error) {
	sm, err := dataAs[ppl.StringMatcher](c)
	if err != nil {
		return nil, err
	}
	conds, err := stringConds(name, sm)
	if err != nil {
		return nil, err
	}
	return plainRule(pass, fail, append([]string{name + " := " + ref}, conds...)...), nil
}

func sourceIP(_ *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.SourceIP](c)
	if err != nil {
		return nil, err
	}
	if len(d.Prefixes) == 0 {
		return nil, errNoValues
	}
	cidrs := make([]string, len(d.Prefixes))
	for i, p := range d.Prefixes {
		if !p.IsValid() {
			return nil, fmt.Errorf("invalid prefix %v", p)
		}
		cidrs[i] = p.Masked().String()
	}
	return plainRule("source-ip-ok", "source-ip-unauthorized",
		"count(net.cidr_contains_matches("+litList(cidrs)+", input.http.ip)) > 0",
	), nil
}

// clientCertificate checks the presented leaf. It does not look at Core's
// own verdict (is_valid_client_certificate): a certificate that fails
// verification can still match here, as in Core.
func clientCertificate(_ *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.ClientCertificate](c)
	if err != nil {
		return nil, err
	}
	body := []string{"cert := crypto.x509.parse_certificates(trim_space(input.http.client_certificate.leaf))[0]"}
	if len(d.Fingerprints) > 0 {
		body = append(body,
			"fingerprint := crypto.sha256(base64.decode(cert.Raw))",
			"fingerprint in "+litList(lower(d.Fingerprints)))
	}
	if len(d.SPKIHashes) > 0 {
		body = append(body,
			"spki_hash := base64.encode(hex.decode(crypto.sha256(base64.decode(cert.RawSubjectPublicKeyInfo))))",
			"spki_hash in "+litList(d.SPKIHashes))
	}
	for _, san := range []struct {
		prefix, field string
		m             *ppl.StringMatcher
	}{
		{"san_email", "cert.EmailAddresses", d.SANEmail},
		{"san_dns", "cert.DNSNames", d.SANDNS},
		{"san_uri", "cert.URIStrings", d.SANURI},
	} {
		if san.m == nil {
			continue
		}
		lines, err := anyConds(san.prefix, san.field, *san.m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", san.prefix, err)
		}
		body = append(body, lines...)
	}
	return plainRule("client-certificate-ok", "client-certificate-unauthorized", body...), nil
}

// mcpTool is Core's four-way chain: anything but a tools/call is refused
// with its own reason before the tool name is matched.
func mcpTool(_ *module, c ppl.Criterion) (chain, error) {
	sm, err := dataAs[ppl.StringMatcher](c)
	if err != nil {
		return nil, err
	}
	conds, err := stringConds("tool", sm)
	if err != nil {
		return nil, err
	}
	notACall := result(false, "mcp-not-a-tool-call")
	return chain{
		{notACall, []string{"not input.mcp.method"}},
		{notACall, []string{`input.mcp.method != "tools/call"`}},
		{result(true, "mcp-tool-match"), append([]string{"tool := input.mcp.tool_call.name"}, conds...)},
		{result(false, "mcp-tool-no-match"), nil},
	}, nil
}

func sshPublicKey(_ *module, c ppl.Criterion) (chain, error) {
	keys, err := sshKeys(c)
	if err != nil {
		return nil, err
	}
	return plainRule("ssh-publickey-ok", "ssh-publickey-unauthorized",
		"input.ssh.publickey in "+litList(keys)), nil
}

// sshCA accepts an SSH user certificate for the login name signed by one of
// the CAs, through Core's ssh_verify_user_cert builtin.
func sshCA(_ *module, c ppl.Criterion) (chain, error) {
	keys, err := sshKeys(c)
	if err != nil {
		return nil, err
	}
	return plainRule("ssh-publickey-ok", "ssh-publickey-unauthorized",
		"ssh_verify_user_cert(input.ssh.username, input.ssh.publickey, "+litList(keys)+")"), nil
}

func sshKeys(c ppl.Criterion) ([]string, error) {
	keys, err := dataAs[ppl.SSHKeys](c)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errNoValues
	}
	return keys, nil
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
