package configyaml

import (
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
)

// Problem is one thing wrong with an imported file, or one key the
// console does not take: where it is (file, line, key) and why.
type Problem struct {
	File string
	Line int
	// Key is the YAML path, e.g. "routes[2].timeout"; "" for the file.
	Key     string
	Message string
}

// String is "file:line: key: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Key != "" {
		b.WriteString(": " + p.Key)
	}
	return b.String() + ": " + p.Message
}

// Problems are every problem found in a file; as an error it lists them
// one per line.
type Problems []Problem

// Error lists the problems, one "file:line: key: message" per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Plan is what a config.yaml holds for the console: what importing it would
// create and change, and the keys the console cannot take. It holds the
// file's secrets in plain text: keep it in memory only, never log it.
type Plan struct {
	File     string
	Routes   []RoutePlan
	Policies []PolicyPlan
	KeyPairs []KeyPairPlan
	Settings SettingsPlan
	// Unsupported are keys Core knows that the console does not manage,
	// each with why; they are left out of the import.
	Unsupported []Problem
}

// RoutePlan is a route to create. Input has no namespace yet; its policy
// and key pairs are named by index into the plan's lists (-1: none).
type RoutePlan struct {
	Line int
	Key  string
	// NameGiven reports whether the file named the route; otherwise Name
	// was made from its URL and is changed when it is taken.
	NameGiven    bool
	Input        routes.Input
	Policy       int
	CustomCA     int
	ClientCert   int
	DownstreamCA int
	keyLines     map[string]int // REST field → line, for the services' field errors
	keyNames     map[string]string
}

// PolicyPlan is a policy to create from a route's `policy` and allow_*
// keys; routes with the same rules share one.
type PolicyPlan struct {
	Line int
	Key  string
	Name string
	// PPL is the canonical PPL of the rules.
	PPL string
}

// KeyPairPlan is a key pair to create from an inline PEM (or a file the
// import could read).
type KeyPairPlan struct {
	Line int
	Key  string
	Name string
	// Certificate and PrivateKey are PEM; PrivateKey is "" for a CA.
	Certificate string
	PrivateKey  string
	// Global puts the pair in Global, where the global settings' key pairs
	// must be, whatever namespace the routes go to.
	Global bool
}

// SettingsPlan is the global settings the file sets: only those keys
// change, every other setting keeps its value.
type SettingsPlan struct {
	// Values holds the imported settings; Keys names them (JSON names of
	// settings.Values, and the secrets), with the line each came from.
	Values  settings.Values
	Secrets map[settings.Secret]string
	Keys    []SettingKey
	// CertificateAuthority and DownstreamCA index KeyPairs (-1: none).
	CertificateAuthority int
	DownstreamCA         int
}

// SettingKey is one imported setting.
type SettingKey struct {
	Name string
	Line int
	Key  string
}

// Empty reports whether the file changes no setting.
func (s SettingsPlan) Empty() bool { return len(s.Keys) == 0 }
