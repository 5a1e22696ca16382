package settings

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// textRules check one text setting, by JSON name; a setting without a
// rule only has to be one line of reasonable length.
var textRules = map[string]func(string) error{
	"logLevel":                        oneOf(LogLevels),
	"proxyLogLevel":                   oneOf(LogLevels),
	"address":                         checkIPPort,
	"dnsLookupFamily":                 oneOf(DNSLookupFamilies),
	"httpRedirectAddr":                checkIPPort,
	"metricsAddress":                  checkIPPort,
	"timeoutRead":                     checkDuration,
	"timeoutWrite":                    checkDuration,
	"timeoutIdle":                     checkDuration,
	"defaultUpstreamTimeout":          checkDuration,
	"cookieName":                      checkCookieName,
	"cookieDomain":                    checkCookieDomain,
	"cookieExpire":                    checkDuration,
	"cookieSameSite":                  oneOf(CookieSameSites),
	"grpcServerMaxConnectionAge":      checkDuration,
	"grpcServerMaxConnectionAgeGrace": checkDuration,
	"tracingProvider":                 oneOf(TracingProviders),
	"tracingDatadogAddress":           checkHostPort,
	"tracingJaegerCollectorEndpoint":  checkHTTPURL,
	"tracingJaegerAgentEndpoint":      checkHostPort,
	"tracingZipkinEndpoint":           checkHTTPURL,
	"authenticateServiceUrl":          checkHTTPURL,
	"identityProvider":                oneOf(IdentityProviders),
	"identityProviderUrl":             checkHTTPURL,
}

// listRules check each entry of a list setting.
var listRules = map[string]func(string) error{
	"accessLogFields":        logFieldRule(AccessLogFields),
	"authorizeLogFields":     logFieldRule(AuthorizeLogFields),
	"identityProviderScopes": checkWord,
}

// mapRules check each key and value of a map setting; a nil rule leaves
// only the checks every text gets.
var mapRules = map[string]struct{ key, value func(string) error }{
	"jwtClaimsHeaders":              {checkHeaderName, checkClaim},
	"setResponseHeaders":            {checkHeaderName, nil},
	"identityProviderRequestParams": {checkParamName, nil},
}

// maxEntries bounds lists and maps.
const maxEntries = 100

// checkValues adds every problem of v to val. secrets tells which secrets
// will be set once the update is stored.
func checkValues(v *Values, secrets map[Secret]bool, val *errs.Validator) {
	for _, f := range fields {
		rv := f.value(v)
		switch f.kind {
		case kindString:
			if !rv.IsNil() {
				checkText(val, f.name, rv.Elem().String(), textRules[f.name])
			}
		case kindList:
			list := rv.Interface().([]string)
			if len(list) > maxEntries {
				val.Add(f.name, errs.CodeTooLong, "must have at most %d entries (got %d)", maxEntries, len(list))
			}
			for _, s := range list {
				checkText(val, f.name, s, listRules[f.name])
			}
		case kindMap:
			checkMap(val, f.name, rv.Interface().(map[string]string))
		}
	}
	if r := v.TracingSampleRate; r != nil && (math.IsNaN(*r) || *r < 0 || *r > 100) {
		val.Add("tracingSampleRate", errs.CodeInvalid, "must be a percentage from 0 to 100 (e.g. 0.01 for 0.01%% of requests)")
	}
	checkCookies(v, val)
	checkTracing(v, val)
	checkIdentityProvider(v, secrets, val)
}

// checkText runs rule on one text value after the checks every text gets.
func checkText(val *errs.Validator, name, s string, rule func(string) error) {
	switch n := utf8.RuneCountInString(s); {
	case n > maxText:
		val.Add(name, errs.CodeTooLong, "must be at most %d characters (got %d)", maxText, n)
	case hasControl(s):
		val.Add(name, errs.CodeInvalid, "must be one line, without control characters")
	case rule != nil:
		if err := rule(s); err != nil {
			val.Add(name, errs.CodeInvalid, "%s", err)
		}
	}
}

// checkMap checks the entries of a map setting, in key order so that the
// first problem reported is the same on every run.
func checkMap(val *errs.Validator, name string, m map[string]string) {
	if len(m) > maxEntries {
		val.Add(name, errs.CodeTooLong, "must have at most %d entries (got %d)", maxEntries, len(m))
	}
	rule := mapRules[name]
	seen := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k == "" {
			val.Add(name, errs.CodeRequired, "every entry needs a name before its value %q", m[k])
			continue
		}
		if other, dup := seen[strings.ToLower(k)]; dup {
			val.Add(name, errs.CodeConflict, "%q and %q are the same name (names are case-insensitive)", other, k)
		}
		seen[strings.ToLower(k)] = k
		checkText(val, name, k, rule.key)
		if m[k] == "" && name != "setResponseHeaders" {
			val.Add(name, errs.CodeRequired, "%q needs a value", k)
		}
		checkText(val, name, m[k], rule.value)
	}
}

func checkClaim(s string) error {
	if s == "" {
		return nil
	}
	return checkWord(s)
}

func checkParamName(s string) error {
	if err := checkWord(s); err != nil {
		return err
	}
	if strings.ContainsAny(s, "&=#") {
		return fmt.Errorf("%q must not contain &, = or #", s)
	}
	return nil
}

// checkCookies refuses SameSite=None without Secure: browsers drop such
// cookies, so nobody could sign in.
func checkCookies(v *Values, val *errs.Validator) {
	if v.CookieSameSite != nil && *v.CookieSameSite == "none" && v.CookieSecure != nil && !*v.CookieSecure {
		val.Add("cookieSameSite", errs.CodeInvalid, "none needs secure cookies: browsers refuse SameSite=None cookies without Secure")
	}
}

// checkTracing requires the endpoint the chosen provider sends spans to.
func checkTracing(v *Values, val *errs.Validator) {
	switch get(v.TracingProvider) {
	case "jaeger":
		if v.TracingJaegerCollectorEndpoint == nil && v.TracingJaegerAgentEndpoint == nil {
			val.Add("tracingJaegerCollectorEndpoint", errs.CodeRequired, "the jaeger provider needs a collector endpoint or an agent endpoint")
		}
	case "zipkin":
		if v.TracingZipkinEndpoint == nil {
			val.Add("tracingZipkinEndpoint", errs.CodeRequired, "the zipkin provider needs its endpoint")
		}
	}
}

// idpOnly are the settings that only mean something with an identity provider.
var idpOnly = []string{"identityProviderClientId", "identityProviderUrl", "identityProviderScopes", "identityProviderRequestParams", string(SecretIdentityProviderClient)}

// checkIdentityProvider applies Core's rules for a self-hosted
// authenticate service: a provider needs its client id and secret, and
// some need their URL; without a provider the other IdP settings do nothing.
func checkIdentityProvider(v *Values, secrets map[Secret]bool, val *errs.Validator) {
	provider := get(v.IdentityProvider)
	if val.Has("identityProvider") {
		return
	}
	if provider == "" {
		set := map[string]bool{
			"identityProviderClientId": v.IdentityProviderClientID != nil, "identityProviderUrl": v.IdentityProviderURL != nil,
			"identityProviderScopes": v.IdentityProviderScopes != nil, "identityProviderRequestParams": v.IdentityProviderRequestParams != nil,
			string(SecretIdentityProviderClient): secrets[SecretIdentityProviderClient],
		}
		for _, name := range idpOnly {
			if set[name] {
				val.Add(name, errs.CodeInvalid, "is only used with an identity provider: choose its type, or clear this")
			}
		}
		return
	}
	if v.IdentityProviderClientID == nil {
		val.Add("identityProviderClientId", errs.CodeRequired, "the %s provider needs the client id it was registered with", provider)
	}
	if !secrets[SecretIdentityProviderClient] {
		val.Add(string(SecretIdentityProviderClient), errs.CodeRequired, "the %s provider needs its client secret", provider)
	}
	if v.IdentityProviderURL == nil && slices.Contains(providersNeedingURL, provider) {
		val.Add("identityProviderUrl", errs.CodeRequired, "the %s provider needs its URL (its issuer)", provider)
	}
}

// maxSecret bounds a secret; a service account key is a few kilobytes.
const maxSecret = 64 << 10

// checkSecret validates a new secret value. Its messages never quote the
// value.
func checkSecret(s Secret, value string) error {
	if len(value) > maxSecret {
		return fmt.Errorf("must be at most %d bytes (got %d)", maxSecret, len(value))
	}
	switch s {
	case SecretCookie:
		// Core decodes it with the standard alphabet and needs 32 bytes.
		b, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			return errors.New("must be base64 (standard alphabet) of 32 random bytes, e.g. from `head -c32 /dev/urandom | base64`")
		}
		if len(b) != 32 {
			return fmt.Errorf("must be base64 of 32 random bytes (this decodes to %d bytes), e.g. from `head -c32 /dev/urandom | base64`", len(b))
		}
	case SecretDatabrokerStorage:
		return checkConnection(value)
	case SecretGoogleCloudServerlessSA:
		b, err := base64.StdEncoding.DecodeString(value)
		var obj map[string]any
		if err != nil || json.Unmarshal(b, &obj) != nil {
			return errors.New("must be the service account's JSON key, base64-encoded")
		}
	default:
		if hasControl(value) {
			return errors.New("must be one line, without control characters")
		}
	}
	return nil
}

// checkConnection accepts what the databroker's Postgres driver does: a
// postgres:// URL with a host, or key=value pairs.
func checkConnection(s string) error {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		if u, err := url.Parse(s); err != nil || u.Host == "" {
			return errors.New("is not a valid postgres:// URL (it needs a host)")
		}
		return nil
	}
	if strings.Contains(s, "=") && !hasControl(s) {
		return nil
	}
	return errors.New(`must be a PostgreSQL connection string: "postgres://user:password@host:5432/db" or "host=… user=… dbname=…"`)
}

// get is the value of an optional text, or "".
func get(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
