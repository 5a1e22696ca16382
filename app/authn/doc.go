// Package authn turns request credentials into a Principal: the Pomerium
// JWT assertion Core adds to every proxied request, recovery tokens minted by
// the CLI for when the Pomerium route is lost, and (later) service-account
// bearer tokens. It answers "who is this?" only; what they may do is RBAC's
// job. Every rejection wraps errs.ErrUnauthenticated with a reason.
package authn
