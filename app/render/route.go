package render

import (
	"encoding/base64"
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// loadBalancingPolicies maps the REST names to Core's enum.
var loadBalancingPolicies = map[string]configpb.LoadBalancingPolicy{
	"round_robin":   configpb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_ROUND_ROBIN,
	"maglev":        configpb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_MAGLEV,
	"random":        configpb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_RANDOM,
	"ring_hash":     configpb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_RING_HASH,
	"least_request": configpb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_LEAST_REQUEST,
}

// issuerFormats maps the REST names to Core's enum.
var issuerFormats = map[string]configpb.IssuerFormat{
	"hostOnly": configpb.IssuerFormat_IssuerHostOnly,
	"uri":      configpb.IssuerFormat_IssuerURI,
}

// route renders one route: every REST field, its policies and key pairs.
func (r *renderer) route(mr Route) (*configpb.Route, error) {
	s := mr.Spec
	pr := &configpb.Route{
		Id: proto.String(mr.ID), Name: proto.String(mr.Name),
		NamespaceId: proto.String(mr.NamespaceID), NamespaceName: optional(last(mr.NamespacePath)),
		From: mr.From, To: mr.To, Prefix: mr.Prefix, Path: mr.Path, Regex: mr.Regex,
		PrefixRewrite: s.PrefixRewrite, RegexRewritePattern: s.RegexRewritePattern, RegexRewriteSubstitution: s.RegexRewriteSubstitution,
		HostRewrite: optional(s.HostRewrite), HostRewriteHeader: optional(s.HostRewriteHeader),
		HostPathRegexRewritePattern: optional(s.HostPathRegexRewritePattern), HostPathRegexRewriteSubstitution: optional(s.HostPathRegexRewriteSubstitution),
		RegexPriorityOrder: s.RegexPriorityOrder,
		AllowWebsockets:    s.AllowWebsockets, AllowSpdy: s.AllowSPDY,
		TlsSkipVerify: s.TLSSkipVerify, TlsUpstreamServerName: s.TLSUpstreamServerName, TlsDownstreamServerName: s.TLSDownstreamServerName,
		TlsUpstreamAllowRenegotiation: s.TLSUpstreamAllowRenegotiation,
		SetRequestHeaders:             s.SetRequestHeaders, RemoveRequestHeaders: s.RemoveRequestHeaders, SetResponseHeaders: s.SetResponseHeaders,
		PreserveHostHeader: s.PreserveHostHeader, PassIdentityHeaders: s.PassIdentityHeaders,
		EnableGoogleCloudServerlessAuthentication: s.EnableGoogleCloudServerlessAuthentication,
		ShowErrorDetails: s.ShowErrorDetails, IdpClientId: optional(s.IdentityProviderClientID),
	}
	if s.Response != nil {
		pr.Response = &configpb.RouteDirectResponse{Status: s.Response.Status, Body: s.Response.Body}
	}
	pr.Redirect = redirectOf(s.Redirect)
	for _, rw := range s.RewriteResponseHeaders {
		h := &configpb.RouteRewriteHeader{Header: rw.Header, Value: rw.Value}
		if rw.Prefix != "" {
			h.Matcher = &configpb.RouteRewriteHeader_Prefix{Prefix: rw.Prefix}
		}
		pr.RewriteResponseHeaders = append(pr.RewriteResponseHeaders, h)
	}
	var err error
	if pr.Timeout, err = durationOf("timeout", s.Timeout); err != nil {
		return nil, err
	}
	if pr.IdleTimeout, err = durationOf("idleTimeout", s.IdleTimeout); err != nil {
		return nil, err
	}
	if err := r.enums(pr, s); err != nil {
		return nil, err
	}
	if pr.HealthChecks, err = healthChecksOf(s.HealthChecks); err != nil {
		return nil, err
	}
	if err := r.routeSecrets(pr, mr); err != nil {
		return nil, err
	}
	if err := r.routeTLS(pr, mr); err != nil {
		return nil, err
	}
	if pr.Policies, err = r.routePolicies(mr); err != nil {
		return nil, err
	}
	return pr, nil
}

// enums maps the route's enumerated settings onto Core's enums.
func (r *renderer) enums(pr *configpb.Route, s db.RouteSpec) error {
	if s.JWTIssuerFormat != "" {
		f, ok := issuerFormats[s.JWTIssuerFormat]
		if !ok {
			return fmt.Errorf("jwtIssuerFormat %q is not hostOnly or uri", s.JWTIssuerFormat)
		}
		pr.JwtIssuerFormat = &f
	}
	if s.LoadBalancingPolicy != "" {
		p, ok := loadBalancingPolicies[s.LoadBalancingPolicy]
		if !ok {
			return fmt.Errorf("loadBalancingPolicy %q is not one Core knows", s.LoadBalancingPolicy)
		}
		pr.LoadBalancingPolicy = &p
	}
	return nil
}

// redirectOf renders a redirect. Core (since v0.28.0, pomerium/pomerium
// #5346) takes the HTTP status in response_code and refuses Envoy's enum
// numbers; 301, the default, is left unset so every Core version agrees.
func redirectOf(rd *db.RouteRedirect) *configpb.RouteRedirect {
	if rd == nil {
		return nil
	}
	out := &configpb.RouteRedirect{
		SchemeRedirect: optional(rd.SchemeRedirect), HostRedirect: optional(rd.HostRedirect),
		PathRedirect: optional(rd.PathRedirect), PrefixRewrite: optional(rd.PrefixRewrite),
	}
	if rd.HTTPSRedirect {
		out.HttpsRedirect = proto.Bool(true)
	}
	if rd.PortRedirect != 0 {
		out.PortRedirect = proto.Uint32(rd.PortRedirect)
	}
	if rd.ResponseCode != 0 && rd.ResponseCode != 301 {
		out.ResponseCode = proto.Int32(rd.ResponseCode)
	}
	if rd.StripQuery {
		out.StripQuery = proto.Bool(true)
	}
	return out
}

// routeSecrets opens the route's IdP client secret and Kubernetes token.
func (r *renderer) routeSecrets(pr *configpb.Route, mr Route) error {
	secret, err := r.secret(mr.Spec.SealedIdentityProviderClientSecret, routes.SealContext(mr.ID, routes.SealFieldIDPClientSecret), "the identity provider client secret")
	if err != nil {
		return err
	}
	pr.IdpClientSecret = optional(secret)
	pr.KubernetesServiceAccountToken, err = r.secret(mr.Spec.SealedKubernetesServiceAccountToken, routes.SealContext(mr.ID, routes.SealFieldKubernetesToken), "the Kubernetes service account token")
	return err
}

// routeTLS puts the route's key pairs in its tls_* fields as base64 PEM.
func (r *renderer) routeTLS(pr *configpb.Route, mr Route) error {
	var err error
	if id := mr.TLSCustomCAKeyPairID; id != "" {
		if pr.TlsCustomCa, err = r.certBase64(id, "tlsCustomCaKeyPairId"); err != nil {
			return err
		}
	}
	if id := mr.TLSDownstreamClientCAKeyPairID; id != "" {
		if pr.TlsDownstreamClientCa, err = r.certBase64(id, "tlsDownstreamClientCaKeyPairId"); err != nil {
			return err
		}
	}
	if id := mr.TLSClientKeyPairID; id != "" {
		k, err := r.keyPair(id, "tlsClientKeyPairId")
		if err != nil {
			return err
		}
		key, err := r.privateKey(k, "tlsClientKeyPairId")
		if err != nil {
			return err
		}
		pr.TlsClientCert = base64.StdEncoding.EncodeToString([]byte(k.CertificatePEM))
		pr.TlsClientKey = base64.StdEncoding.EncodeToString(key)
	}
	return nil
}

// routePolicies renders the route's effective policies, enforced first:
// each carries its compiled Rego, which Core evaluates, and its PPL, which
// Core only shows. Core ORs the allow and the deny of all of them.
func (r *renderer) routePolicies(mr Route) ([]*configpb.Policy, error) {
	ids := append(append([]string(nil), mr.EnforcedPolicyIDs...), mr.PolicyIDs...)
	out := make([]*configpb.Policy, 0, len(ids))
	for _, id := range ids {
		p, ok := r.policies[id]
		if !ok {
			return nil, fmt.Errorf("policy %s is not in the model", id)
		}
		if p.Rego == "" {
			return nil, fmt.Errorf("policy %q has no compiled Rego", p.Name)
		}
		out = append(out, &configpb.Policy{
			Id: proto.String(p.ID), Name: proto.String(p.Name),
			Explanation: optional(p.Explanation), Remediation: optional(p.Remediation),
			SourcePpl: proto.String(p.PPL), Rego: []string{p.Rego},
		})
	}
	return out, nil
}

// durationOf parses a stored REST Duration; "" is unset.
func durationOf(field, value string) (*durationpb.Duration, error) {
	if value == "" {
		return nil, nil
	}
	d, err := duration.Parse(value)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", field, value, err)
	}
	return durationpb.New(d), nil
}

// last is the last element of list, or "".
func last(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[len(list)-1]
}
