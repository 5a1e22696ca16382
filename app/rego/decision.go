package rego

import "slices"

// Decision is what Core does with an HTTP request given allow and deny
// (rego-contract §4, authorize/check_response.go), for the policy tester.
type Decision string

// Decisions, in the order Core tests for them.
const (
	// DecisionInvalidClientCertificate is a 495: a deny reason says the
	// client certificate is missing or invalid.
	DecisionInvalidClientCertificate Decision = "invalid-client-certificate"
	// DecisionLogin redirects to sign-in (or answers 401): either result
	// says user-unauthenticated, even when allow is true.
	DecisionLogin Decision = "login"
	// DecisionDeviceRegistration starts WebAuthn device registration.
	DecisionDeviceRegistration Decision = "device-registration"
	// DecisionDeny refuses the request: deny is true, or allow is false.
	DecisionDeny Decision = "deny"
	// DecisionAllow lets the request through.
	DecisionAllow Decision = "allow"
)

// Decide applies Core's order: certificate errors, then login, then device
// registration, then deny over allow.
func Decide(allow, deny Result) Decision {
	has := func(r Result, reason string) bool { return slices.Contains(r.Reasons, reason) }
	switch {
	case has(deny, "client-certificate-required") || has(deny, "invalid-client-certificate"):
		return DecisionInvalidClientCertificate
	case has(allow, reasonUserUnauthenticated) || has(deny, reasonUserUnauthenticated):
		return DecisionLogin
	case has(allow, reasonDeviceUnauthenticated) || has(deny, reasonDeviceUnauthenticated):
		return DecisionDeviceRegistration
	case deny.Value:
		return DecisionDeny
	case allow.Value:
		return DecisionAllow
	default:
		return DecisionDeny
	}
}
