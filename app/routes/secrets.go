package routes

import (
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// secretField describes one write-only value of a route.
type secretField struct {
	field   string
	context string
	sealed  func(*db.RouteSpec) *string
}

// Field names of the route's secrets in their seal contexts (SealContext).
const (
	SealFieldIDPClientSecret = "idp_client_secret"
	SealFieldKubernetesToken = "kubernetes_token"
)

// The route's secrets; the seal context binds each to its route and field.
var (
	idpClientSecret = secretField{"identityProviderClientSecret", SealFieldIDPClientSecret,
		func(s *db.RouteSpec) *string { return &s.SealedIdentityProviderClientSecret }}
	kubernetesToken = secretField{"kubernetesServiceAccountToken", SealFieldKubernetesToken,
		func(s *db.RouteSpec) *string { return &s.SealedKubernetesServiceAccountToken }}
)

// SealContext is the context route id's secret field is sealed under.
func SealContext(routeID, field string) string {
	return "routes/" + routeID + "/" + field
}

// applySecrets keeps, seals or clears each secret of r (old is the stored
// route of an update) and checks the fields that depend on them.
func (s *Service) applySecrets(c *checker, r *db.Route, old *db.Route, in Input) error {
	for _, f := range []struct {
		secretField
		change Secret
	}{{idpClientSecret, in.IdentityProviderClientSecret}, {kubernetesToken, in.KubernetesServiceAccountToken}} {
		if err := s.applySecret(c, r, old, f.secretField, f.change); err != nil {
			return err
		}
	}
	hasSecret, hasToken := HasSecret(*r)
	switch {
	case c.Has(idpClientSecret.field):
	case r.Spec.IdentityProviderClientID != "" && !hasSecret:
		c.Add(idpClientSecret.field, errs.CodeRequired, "enter the client secret of this client id")
	case r.Spec.IdentityProviderClientID == "" && hasSecret:
		c.Add("identityProviderClientId", errs.CodeRequired, "enter the client id this secret belongs to, or clear the secret")
	}
	if hasToken && r.Spec.EnableGoogleCloudServerlessAuthentication && !c.Has(kubernetesToken.field) {
		c.fail(kubernetesToken.field, "Google Cloud serverless authentication already sets the upstream Authorization header: use one of them")
	}
	return nil
}

// applySecret applies one change to one secret.
func (s *Service) applySecret(c *checker, r *db.Route, old *db.Route, f secretField, change Secret) error {
	dst := f.sealed(&r.Spec)
	switch change.Action {
	case SecretKeep:
		if old != nil {
			*dst = *f.sealed(&old.Spec)
		}
	case SecretClear:
		*dst = ""
	case SecretSet:
		value := strings.TrimSpace(change.Value)
		switch {
		case value == "":
			c.Add(f.field, errs.CodeRequired, "enter the new value, or keep the stored one")
		case len(value) > MaxSecretLength:
			c.Add(f.field, errs.CodeTooLong, "must be at most %d characters (got %d)", MaxSecretLength, len(value))
		case strings.ContainsAny(value, "\r\n\x00"):
			c.fail(f.field, "must be one line")
		default:
			sealed, err := s.sealer.Seal([]byte(value), SealContext(r.ID, f.context))
			if err != nil {
				return fmt.Errorf("routes: seal %s: %w", f.field, err)
			}
			*dst = sealed
		}
	default:
		c.fail(f.field, "unknown change %q: keep, set or clear", change.Action)
	}
	return nil
}
