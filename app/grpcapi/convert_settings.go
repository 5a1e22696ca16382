package grpcapi

import (
	"errors"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
)

// The Settings fields app/settings keeps, one table per shape. json is the
// settings service's name of the field (its error messages use it).
var (
	settingsStrings = []struct {
		json, proto string
		val         func(*settings.Values) **string
		msg         func(*pb.Settings) **string
	}{
		{"logLevel", "log_level", func(v *settings.Values) **string { return &v.LogLevel }, func(m *pb.Settings) **string { return &m.LogLevel }},
		{"proxyLogLevel", "proxy_log_level", func(v *settings.Values) **string { return &v.ProxyLogLevel }, func(m *pb.Settings) **string { return &m.ProxyLogLevel }},
		{"address", "address", func(v *settings.Values) **string { return &v.Address }, func(m *pb.Settings) **string { return &m.Address }},
		{"dnsLookupFamily", "dns_lookup_family", func(v *settings.Values) **string { return &v.DNSLookupFamily }, func(m *pb.Settings) **string { return &m.DnsLookupFamily }},
		{"httpRedirectAddr", "http_redirect_addr", func(v *settings.Values) **string { return &v.HTTPRedirectAddr }, func(m *pb.Settings) **string { return &m.HttpRedirectAddr }},
		{"metricsAddress", "metrics_address", func(v *settings.Values) **string { return &v.MetricsAddress }, func(m *pb.Settings) **string { return &m.MetricsAddress }},
		{"cookieName", "cookie_name", func(v *settings.Values) **string { return &v.CookieName }, func(m *pb.Settings) **string { return &m.CookieName }},
		{"cookieDomain", "cookie_domain", func(v *settings.Values) **string { return &v.CookieDomain }, func(m *pb.Settings) **string { return &m.CookieDomain }},
		{"cookieSameSite", "cookie_same_site", func(v *settings.Values) **string { return &v.CookieSameSite }, func(m *pb.Settings) **string { return &m.CookieSameSite }},
		{"certificateAuthorityKeyPairId", "certificate_authority_key_pair_id", func(v *settings.Values) **string { return &v.CertificateAuthorityKeyPairID }, func(m *pb.Settings) **string { return &m.CertificateAuthorityKeyPairId }},
		// client_ca is Core's older name of the downstream mTLS CA.
		{"downstreamMtlsCaKeyPairId", "client_ca_key_pair_id", func(v *settings.Values) **string { return &v.DownstreamMTLSCAKeyPairID }, func(m *pb.Settings) **string { return &m.ClientCaKeyPairId }},
		{"authenticateServiceUrl", "authenticate_service_url", func(v *settings.Values) **string { return &v.AuthenticateServiceURL }, func(m *pb.Settings) **string { return &m.AuthenticateServiceUrl }},
		// idp_* are the sign-in identity provider; identity_provider* in
		// the message are Enterprise's directory sync, which we lack.
		{"identityProvider", "idp_provider", func(v *settings.Values) **string { return &v.IdentityProvider }, func(m *pb.Settings) **string { return &m.IdpProvider }},
		{"identityProviderClientId", "idp_client_id", func(v *settings.Values) **string { return &v.IdentityProviderClientID }, func(m *pb.Settings) **string { return &m.IdpClientId }},
		{"identityProviderUrl", "idp_provider_url", func(v *settings.Values) **string { return &v.IdentityProviderURL }, func(m *pb.Settings) **string { return &m.IdpProviderUrl }},
	}
	settingsBools = []struct {
		json, proto string
		val         func(*settings.Values) **bool
		msg         func(*pb.Settings) **bool
	}{
		{"skipXffAppend", "skip_xff_append", func(v *settings.Values) **bool { return &v.SkipXFFAppend }, func(m *pb.Settings) **bool { return &m.SkipXffAppend }},
		{"cookieSecure", "cookie_secure", func(v *settings.Values) **bool { return &v.CookieSecure }, func(m *pb.Settings) **bool { return &m.CookieSecure }},
		{"cookieHttpOnly", "cookie_http_only", func(v *settings.Values) **bool { return &v.CookieHTTPOnly }, func(m *pb.Settings) **bool { return &m.CookieHttpOnly }},
		{"passIdentityHeaders", "pass_identity_headers", func(v *settings.Values) **bool { return &v.PassIdentityHeaders }, func(m *pb.Settings) **bool { return &m.PassIdentityHeaders }},
		{"autoApplyChangesets", "auto_apply_changesets", func(v *settings.Values) **bool { return &v.AutoApplyChangesets }, func(m *pb.Settings) **bool { return &m.AutoApplyChangesets }},
	}
	settingsDurations = []struct {
		json, proto string
		val         func(*settings.Values) **string
		msg         func(*pb.Settings) **durationpb.Duration
	}{
		{"timeoutRead", "timeout_read", func(v *settings.Values) **string { return &v.TimeoutRead }, func(m *pb.Settings) **durationpb.Duration { return &m.TimeoutRead }},
		{"timeoutWrite", "timeout_write", func(v *settings.Values) **string { return &v.TimeoutWrite }, func(m *pb.Settings) **durationpb.Duration { return &m.TimeoutWrite }},
		{"timeoutIdle", "timeout_idle", func(v *settings.Values) **string { return &v.TimeoutIdle }, func(m *pb.Settings) **durationpb.Duration { return &m.TimeoutIdle }},
		{"defaultUpstreamTimeout", "default_upstream_timeout", func(v *settings.Values) **string { return &v.DefaultUpstreamTimeout }, func(m *pb.Settings) **durationpb.Duration { return &m.DefaultUpstreamTimeout }},
		{"cookieExpire", "cookie_expire", func(v *settings.Values) **string { return &v.CookieExpire }, func(m *pb.Settings) **durationpb.Duration { return &m.CookieExpire }},
	}
	settingsLists = []struct {
		json, proto string
		val         func(*settings.Values) *[]string
		msg         func(*pb.Settings) **pb.Settings_StringList
	}{
		{"accessLogFields", "access_log_fields", func(v *settings.Values) *[]string { return &v.AccessLogFields }, func(m *pb.Settings) **pb.Settings_StringList { return &m.AccessLogFields }},
		{"authorizeLogFields", "authorize_log_fields", func(v *settings.Values) *[]string { return &v.AuthorizeLogFields }, func(m *pb.Settings) **pb.Settings_StringList { return &m.AuthorizeLogFields }},
	}
	settingsMaps = []struct {
		json, proto string
		val         func(*settings.Values) *map[string]string
		msg         func(*pb.Settings) *map[string]string
	}{
		{"jwtClaimsHeaders", "jwt_claims_headers", func(v *settings.Values) *map[string]string { return &v.JWTClaimsHeaders }, func(m *pb.Settings) *map[string]string { return &m.JwtClaimsHeaders }},
		{"setResponseHeaders", "set_response_headers", func(v *settings.Values) *map[string]string { return &v.SetResponseHeaders }, func(m *pb.Settings) *map[string]string { return &m.SetResponseHeaders }},
		{"identityProviderRequestParams", "request_params", func(v *settings.Values) *map[string]string { return &v.IdentityProviderRequestParams }, func(m *pb.Settings) *map[string]string { return &m.RequestParams }},
	}
	// settingsSecrets are write-only: never filled in a response.
	settingsSecrets = []struct {
		secret settings.Secret
		proto  string
		msg    func(*pb.Settings) **string
	}{
		{settings.SecretCookie, "cookie_secret", func(m *pb.Settings) **string { return &m.CookieSecret }},
		{settings.SecretIdentityProviderClient, "idp_client_secret", func(m *pb.Settings) **string { return &m.IdpClientSecret }},
		{settings.SecretGoogleCloudServerlessSA, "google_cloud_serverless_authentication_service_account", func(m *pb.Settings) **string { return &m.GoogleCloudServerlessAuthenticationServiceAccount }},
	}
)

// settingsConsoleOnly are the settings the message has no field for; a
// SetSettings keeps their stored values.
var settingsConsoleOnly = []string{
	"grpcServerMaxConnectionAge", "grpcServerMaxConnectionAgeGrace", "tracingProvider", "tracingSampleRate",
	"tracingDatadogAddress", "tracingJaegerCollectorEndpoint", "tracingJaegerAgentEndpoint", "tracingZipkinEndpoint",
	string(settings.SecretDatabrokerStorage),
}

// settingsComputed are filled in by the console and ignored in a request.
var settingsComputed = map[string]bool{"id": true, "cluster_id": true, "modified_at": true, "installation_id": true, "originator_id": true}

// settingsElsewhere are unsupported fields that the console keeps on the
// cluster instead, with where to change them.
var settingsElsewhere = map[string]string{
	"shared_secret":          "is the cluster's: set it with ClustersService.UpdateCluster",
	"databroker_service_url": "is the cluster's: set it with ClustersService.UpdateCluster",
}

// settingsNames maps the settings service's field names to the proto
// paths of SetSettingsRequest, and settingsSupported lists those fields.
var settingsNames, settingsSupported = func() (map[string]string, map[string]bool) {
	names, supported := map[string]string{}, map[string]bool{"scopes": true}
	add := func(json, proto string) {
		names[json], supported[proto] = "settings."+proto, true
	}
	for _, f := range settingsStrings {
		add(f.json, f.proto)
	}
	for _, f := range settingsBools {
		add(f.json, f.proto)
	}
	for _, f := range settingsDurations {
		add(f.json, f.proto)
	}
	for _, f := range settingsLists {
		add(f.json, f.proto)
	}
	for _, f := range settingsMaps {
		add(f.json, f.proto)
	}
	for _, f := range settingsSecrets {
		add(string(f.secret), f.proto)
	}
	names["identityProviderScopes"] = "settings.scopes"
	return names, supported
}()

// settingsMessage is the Settings message of a cluster's settings. Secrets
// are never returned; console-only settings (tracing, gRPC connection
// ages, the databroker storage connection) have no field.
func settingsMessage(view settings.View) *pb.Settings {
	id := view.ClusterID
	m := &pb.Settings{Id: id, ClusterId: &id, ModifiedAt: pbTime(view.ModifiedAt)}
	v := view.Values
	for _, f := range settingsStrings {
		if p := *f.val(&v); p != nil {
			s := *p
			*f.msg(m) = &s
		}
	}
	for _, f := range settingsBools {
		if p := *f.val(&v); p != nil {
			b := *p
			*f.msg(m) = &b
		}
	}
	for _, f := range settingsDurations {
		if p := *f.val(&v); p != nil {
			// Stored values passed validation, so they parse.
			if d, err := duration.Parse(*p); err == nil {
				*f.msg(m) = durationpb.New(d)
			}
		}
	}
	for _, f := range settingsLists {
		if list := *f.val(&v); list != nil {
			*f.msg(m) = &pb.Settings_StringList{Values: append([]string{}, list...)}
		}
	}
	for _, f := range settingsMaps {
		if src := *f.val(&v); src != nil {
			dst := make(map[string]string, len(src))
			for k, val := range src {
				dst[k] = val
			}
			*f.msg(m) = dst
		}
	}
	if v.IdentityProviderScopes != nil {
		m.Scopes = append([]string{}, v.IdentityProviderScopes...)
	}
	return m
}

// settingsUpdate is the settings update m asks for, over the stored cur:
// m replaces every field the console supports, console-only settings keep
// their stored values, and a secret absent from m keeps its value (it is
// never returned, so a client cannot send it back) while an empty one is
// cleared. Fields the console does not support are refused when set.
func settingsUpdate(m *pb.Settings, cur settings.View) (settings.Update, error) {
	var v errs.Validator
	refuseUnsupportedSettings(&v, m)
	u := settings.Update{Secrets: map[settings.Secret]settings.SecretChange{}}
	// Settings without a field in the message stay as they are.
	old := cur.Values
	u.Values.GRPCServerMaxConnectionAge, u.Values.GRPCServerMaxConnectionAgeGrace = old.GRPCServerMaxConnectionAge, old.GRPCServerMaxConnectionAgeGrace
	u.Values.TracingProvider, u.Values.TracingSampleRate = old.TracingProvider, old.TracingSampleRate
	u.Values.TracingDatadogAddress, u.Values.TracingZipkinEndpoint = old.TracingDatadogAddress, old.TracingZipkinEndpoint
	u.Values.TracingJaegerCollectorEndpoint, u.Values.TracingJaegerAgentEndpoint = old.TracingJaegerCollectorEndpoint, old.TracingJaegerAgentEndpoint

	for _, f := range settingsStrings {
		if p := *f.msg(m); p != nil {
			s := *p
			*f.val(&u.Values) = &s
		}
	}
	for _, f := range settingsBools {
		if p := *f.msg(m); p != nil {
			b := *p
			*f.val(&u.Values) = &b
		}
	}
	for _, f := range settingsDurations {
		d := *f.msg(m)
		if d == nil {
			continue
		}
		text, err := restDuration(d, *f.val(&old))
		if err != nil {
			v.Add("settings."+f.proto, errs.CodeInvalid, "%s", err)
			continue
		}
		*f.val(&u.Values) = &text
	}
	for _, f := range settingsLists {
		if list := *f.msg(m); list != nil {
			*f.val(&u.Values) = append([]string{}, list.GetValues()...)
		}
	}
	for _, f := range settingsMaps {
		if src := *f.msg(m); src != nil {
			dst := make(map[string]string, len(src))
			for k, val := range src {
				dst[k] = val
			}
			*f.val(&u.Values) = dst
		}
	}
	if m.Scopes != nil {
		u.Values.IdentityProviderScopes = append([]string{}, m.Scopes...)
	}
	for _, f := range settingsSecrets {
		switch p := *f.msg(m); {
		case p == nil:
		case *p == "":
			u.Secrets[f.secret] = settings.SecretChange{Clear: true}
		default:
			u.Secrets[f.secret] = settings.SecretChange{Value: *p}
		}
	}
	return u, v.Err()
}

// refuseUnsupportedSettings names every field of m set to something other
// than its default that the console does not keep, rather than dropping it.
func refuseUnsupportedSettings(v *errs.Validator, m *pb.Settings) {
	r := m.ProtoReflect()
	fields := r.Descriptor().Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		name := string(fd.Name())
		if settingsSupported[name] || settingsComputed[name] || !isSetField(r, fd) {
			continue
		}
		if where, ok := settingsElsewhere[name]; ok {
			v.Add("settings."+name, errs.CodeInvalid, "%s", where)
			continue
		}
		v.Add("settings."+name, errs.CodeInvalid, "is not supported by this console; leave it unset")
	}
}

// isSetField reports whether fd holds something other than its default:
// a zero scalar, an empty list or map and an empty message count as unset.
func isSetField(m protoreflect.Message, fd protoreflect.FieldDescriptor) bool {
	if !m.Has(fd) {
		return false
	}
	val := m.Get(fd)
	switch {
	case fd.IsList():
		return val.List().Len() > 0
	case fd.IsMap():
		return val.Map().Len() > 0
	case fd.Message() != nil:
		return proto.Size(val.Message().Interface()) > 0
	}
	return !val.Equal(fd.Default())
}

// restDuration is d in the settings' duration format ("1h30m", "250ms").
// When stored already means d, it is kept as written, so sending back
// what GetSettings returned changes nothing.
func restDuration(d *durationpb.Duration, stored *string) (string, error) {
	if err := d.CheckValid(); err != nil {
		return "", errors.New("is not a valid duration")
	}
	td := d.AsDuration()
	switch {
	case td < 0:
		return "", errors.New("must not be negative")
	case td%time.Millisecond != 0:
		return "", errors.New("must be a whole number of milliseconds")
	}
	if stored != nil {
		if was, err := duration.Parse(*stored); err == nil && was == td {
			return *stored, nil
		}
	}
	return duration.Format(td)
}
