package ppl

import "slices"

// MatcherKind is the shape of a criterion's value, which decides the
// editor the rule builder shows and the Data type Parse produces.
type MatcherKind string

// Matcher kinds, one per Data type.
const (
	MatcherNone        MatcherKind = "none"
	MatcherString      MatcherKind = "string"
	MatcherList        MatcherKind = "list"
	MatcherIP          MatcherKind = "ip"
	MatcherCertificate MatcherKind = "certificate"
	MatcherDevice      MatcherKind = "device"
	MatcherDate        MatcherKind = "date"
	MatcherDayOfWeek   MatcherKind = "day_of_week"
	MatcherTimeOfDay   MatcherKind = "time_of_day"
	MatcherRecord      MatcherKind = "record"
	MatcherClaimName   MatcherKind = "claim_name"
	MatcherSSHKeys     MatcherKind = "ssh_keys"
)

// StringOperators are the operators of a string matcher, in the order
// Parse keeps them in StringMatcher.Ops and Format writes them.
var StringOperators = []string{"is", "not", "contains", "starts_with", "ends_with", "in", "not_in"}

// ListOperators are the operators of a string-list matcher, in the order
// Parse keeps them in ListMatcher.Ops and Format writes them.
var ListOperators = []string{"has", "is", "exclude"}

// CriterionInfo describes one criterion for the rule builder.
type CriterionInfo struct {
	Name        string
	Description string
	// SubPath is true for criteria written name/<path> (claim).
	SubPath bool
	Kind    MatcherKind
	// Operators are the matcher operators of string, list and record kinds.
	Operators []string
	// Keys are the object keys of certificate, device, date, day_of_week,
	// time_of_day and record values.
	Keys []string
	// ConsoleOnly marks criteria Core does not know; the console compiles
	// them to Rego itself.
	ConsoleOnly bool
}

// criterionSpec pairs a criterion's description with its validator, which
// reports problems on c and returns nil when the value is invalid.
type criterionSpec struct {
	info  CriterionInfo
	parse func(c *checker, path string, v any) Data
}

func noData(*checker, string, any) Data { return NoData{} }

// specs is every criterion Parse accepts, in the order the rule builder
// lists them.
var specs = []criterionSpec{
	{CriterionInfo{Name: "accept", Description: "Always matches.", Kind: MatcherNone}, noData},
	{CriterionInfo{Name: "reject", Description: "Never matches.", Kind: MatcherNone}, noData},
	{CriterionInfo{Name: "authenticated_user", Description: "Matches any signed-in user.", Kind: MatcherNone}, noData},
	{CriterionInfo{Name: "email", Description: "Matches the user's email address.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "domain", Description: "Matches the domain part of the user's email address.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "user", Description: "Matches the user's id.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "groups", Description: "Matches the ids of the user's directory groups.", Kind: MatcherList, Operators: ListOperators}, parseListCriterion},
	{CriterionInfo{Name: "claim", Description: "Matches a claim of the user's identity token; the path names the claim.", SubPath: true, Kind: MatcherList, Operators: ListOperators}, parseListCriterion},
	{CriterionInfo{Name: "device", Description: "Matches the user's registered device: its id, type or approval.", Kind: MatcherDevice, Keys: deviceKeys}, parseDevice},
	{CriterionInfo{Name: "http_method", Description: "Matches the HTTP method of the request.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "http_path", Description: "Matches the HTTP path of the request.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "source_ip", Description: "Matches the client IP address against IPs and CIDR ranges.", Kind: MatcherIP}, parseSourceIP},
	{CriterionInfo{Name: "client_certificate", Description: "Matches the client certificate by fingerprint, SPKI hash or SAN.", Kind: MatcherCertificate, Keys: certificateKeys}, parseClientCertificate},
	{CriterionInfo{Name: "invalid_client_certificate", Description: "Matches requests without a valid client certificate.", Kind: MatcherNone}, noData},
	{CriterionInfo{Name: "cors_preflight", Description: "Matches CORS preflight requests.", Kind: MatcherNone}, noData},
	{CriterionInfo{Name: "mcp_tool", Description: "Matches the tool name of an MCP tools/call request.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "ssh_username", Description: "Matches the SSH username.", Kind: MatcherString, Operators: StringOperators}, parseStringCriterion},
	{CriterionInfo{Name: "ssh_username_matches_email", Description: "Matches when the SSH username is the local part of the user's email.", Kind: MatcherNone}, noData},
	{CriterionInfo{Name: "ssh_username_matches_claim", Description: "Matches when the SSH username is one of the values of the named claim.", Kind: MatcherClaimName}, parseClaimName},
	{CriterionInfo{Name: "ssh_publickey", Description: "Matches the SSH public key the client offers.", Kind: MatcherSSHKeys}, parseSSHKeys},
	{CriterionInfo{Name: "ssh_ca", Description: "Matches SSH user certificates signed by one of these CAs.", Kind: MatcherSSHKeys}, parseSSHKeys},
	{CriterionInfo{Name: "date", Description: "Matches requests after and/or before a date and time.", Kind: MatcherDate, Keys: dateKeys, ConsoleOnly: true}, parseDate},
	{CriterionInfo{Name: "day_of_week", Description: "Matches requests on the given days of the week.", Kind: MatcherDayOfWeek, Keys: dayOfWeekKeys, ConsoleOnly: true}, parseDayOfWeek},
	{CriterionInfo{Name: "time_of_day", Description: "Matches requests between two clock times in a time zone.", Kind: MatcherTimeOfDay, Keys: timeOfDayKeys, ConsoleOnly: true}, parseTimeOfDay},
	{CriterionInfo{Name: "record", Description: "Matches a field of an external data record about the user.", Kind: MatcherRecord, Operators: StringOperators, Keys: recordKeys, ConsoleOnly: true}, parseRecord},
}

// criterionNames lists every criterion name, for suggestions.
var criterionNames = func() []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.info.Name
	}
	return names
}()

// lookupCriterion finds the spec of name, or nil.
func lookupCriterion(name string) *criterionSpec {
	if i := slices.Index(criterionNames, name); i >= 0 {
		return &specs[i]
	}
	return nil
}

// Criteria describes every criterion Parse accepts; the slices are copies
// the caller may keep.
func Criteria() []CriterionInfo {
	out := make([]CriterionInfo, len(specs))
	for i, s := range specs {
		out[i] = s.info
		out[i].Operators = slices.Clone(s.info.Operators)
		out[i].Keys = slices.Clone(s.info.Keys)
	}
	return out
}
