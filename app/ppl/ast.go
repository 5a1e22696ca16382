package ppl

import (
	"net/netip"
	"strings"
	"time"
)

// Policy is a parsed PPL document: its rules in document order.
type Policy struct {
	Rules []Rule
	// List records whether the document was a list, so Format and error
	// paths keep the author's shape.
	List bool
}

// Action is what a rule decides.
type Action string

// Actions.
const (
	Allow Action = "allow"
	Deny  Action = "deny"
)

// Operator combines the criteria of one group.
type Operator string

// Operators, in the order Core generates them: and = all, or = any,
// not = none (NOR), nor = not all (NAND).
const (
	And Operator = "and"
	Or  Operator = "or"
	Not Operator = "not"
	Nor Operator = "nor"
)

// Operators lists the operators in Core's order.
var Operators = []Operator{And, Or, Not, Nor}

// Rule is one `allow:` or `deny:` object. Groups holds the non-empty
// condition lists in Core's order (and, or, not, nor).
type Rule struct {
	Action Action
	Groups []Group
}

// Group is one condition list of a rule.
type Group struct {
	Operator Operator
	Criteria []Criterion
}

// Criterion is one single-key object of a condition list, e.g.
// `email: {ends_with: "@example.com"}` or `claim/groups: admins`.
type Criterion struct {
	// Name is the key up to the first "/", SubPath what follows it.
	Name    string
	SubPath string
	// Raw is the value as written, decoded to JSON types (nil, bool,
	// float64, string, []any, map[string]any); Format writes it back.
	Raw any
	// Data is the validated, typed value; its concrete type depends on Name.
	Data Data
}

// Data is the typed value of a criterion.
type Data interface{ isData() }

// NoData is the value of criteria that take none (accept, reject,
// authenticated_user, cors_preflight, invalid_client_certificate,
// ssh_username_matches_email); whatever was written is ignored, as in Core.
type NoData struct{}

// StringOp is one operator of a string or string-list matcher. In and
// NotIn use Values; every other operator uses Value.
type StringOp struct {
	Op     string
	Value  string
	Values []string
	// Raw is the operand as written: a string, float64 or bool ([]any of
	// them for in/not_in). Value and Values hold its text ("1000",
	// "true"); Core compares the JSON value itself, so `claim/admin: true`
	// matches the boolean claim true but not the string "true", and a
	// compiler that wants Core's result emits Raw.
	Raw any
}

// StringMatcher tests one string: every operator must hold (is, not,
// contains, starts_with, ends_with, in, not_in). Used by domain, email, user,
// http_method, http_path, mcp_tool, ssh_username and record.
type StringMatcher struct {
	Ops []StringOp
}

// ListMatcher tests a list of strings: has (some element equals), is (the
// only element equals), exclude (no element equals). Used by claim/<path>
// and groups.
type ListMatcher struct {
	Ops []StringOp
}

// SourceIP matches input.http.ip against prefixes; a bare IP is a /32 or /128.
type SourceIP struct {
	Prefixes []netip.Prefix
}

// ClientCertificate matches the presented client certificate. Fingerprints
// are normalised to lower-case hex SHA-256; SPKIHashes are base64 SHA-256.
type ClientCertificate struct {
	Fingerprints []string
	SPKIHashes   []string
	SANEmail     *StringMatcher
	SANDNS       *StringMatcher
	SANURI       *StringMatcher
}

// Device matches the session's device credential. Type defaults to "any".
type Device struct {
	Is       string
	Approved *bool
	Type     string
}

// ClaimName is the value of ssh_username_matches_claim.
type ClaimName string

// SSHKeys are public keys in base64 SSH wire format (ssh_publickey, ssh_ca).
type SSHKeys []string

// DateRange is the console-only `date` criterion: the request time is after
// After and before Before (either may be unset, not both).
type DateRange struct {
	After  *time.Time
	Before *time.Time
}

// DayOfWeek is the console-only `day_of_week` criterion: Days[time.Weekday]
// is true for every allowed day, evaluated in Zone (default UTC).
type DayOfWeek struct {
	Days [7]bool
	Zone string
}

// TimeOfDay is the console-only `time_of_day` criterion: the request's
// clock time in Zone (an IANA name) is at or after After and before Before.
// Times are durations since midnight; Before < After wraps past midnight.
type TimeOfDay struct {
	Zone   string
	After  *time.Duration
	Before *time.Duration
}

// Record is the console-only `record` criterion: the databroker record of
// Type keyed by the data source's foreign key (the user id until data
// sources exist) has Field (a dotted path) matching Matcher.
type Record struct {
	Type    string
	Field   string
	Matcher StringMatcher
}

func (NoData) isData()            {}
func (StringMatcher) isData()     {}
func (ListMatcher) isData()       {}
func (SourceIP) isData()          {}
func (ClientCertificate) isData() {}
func (Device) isData()            {}
func (ClaimName) isData()         {}
func (SSHKeys) isData()           {}
func (DateRange) isData()         {}
func (DayOfWeek) isData()         {}
func (TimeOfDay) isData()         {}
func (Record) isData()            {}

// Error is one problem at Path, e.g. `allow.or[2].email`; a document that
// is a list prefixes the rule index: `[1].deny.and[0].source_ip`.
type Error struct {
	Path    string
	Message string
}

func (e Error) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// Errors is every problem of one document, in document order.
type Errors []Error

func (es Errors) Error() string {
	// A builder, not +=: a large broken document has thousands of errors.
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
