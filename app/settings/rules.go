package settings

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
)

// maxText bounds every text setting; none of Core's needs more.
const maxText = 2048

// checkDuration is duration.Parse as a rule.
func checkDuration(s string) error {
	_, err := duration.Parse(s)
	return err
}

// oneOf is a rule accepting exactly the given choices.
func oneOf(choices []string) func(string) error {
	return func(s string) error {
		if slices.Contains(choices, s) {
			return nil
		}
		return fmt.Errorf("must be one of %s", strings.Join(choices, ", "))
	}
}

// checkIPPort accepts what Envoy can listen on: an optional IP address and
// a port (":443", "0.0.0.0:80", "[::1]:9090"); Envoy does not resolve names.
func checkIPPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return errors.New(`must be an IP address and port, or just ":port" (e.g. ":443", "127.0.0.1:9090")`)
	}
	if host != "" && net.ParseIP(host) == nil {
		return fmt.Errorf("must use an IP address, not the name %q: Envoy listens on addresses only", host)
	}
	return checkPort(port)
}

// checkHostPort accepts a host name or IP address with a port.
func checkHostPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return errors.New(`must be a host and port (e.g. "localhost:8126")`)
	}
	if net.ParseIP(host) == nil && !isDomain(host) {
		return fmt.Errorf("%q is not a host name or IP address", host)
	}
	return checkPort(port)
}

func checkPort(port string) error {
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("the port %q must be a number from 1 to 65535", port)
	}
	return nil
}

// checkHTTPURL accepts an absolute http or https URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New(`must be an absolute http or https URL (e.g. "https://idp.example.com")`)
	}
	if u.Fragment != "" {
		return errors.New("must not have a #fragment")
	}
	return nil
}

// isDomain reports whether s is a DNS name: dot-separated labels of
// letters, digits and inner hyphens.
func isDomain(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

// checkCookieDomain accepts a domain, with the optional leading dot
// browsers ignore.
func checkCookieDomain(s string) error {
	if !isDomain(strings.TrimPrefix(s, ".")) {
		return errors.New(`must be a domain name such as "example.com", without scheme, port or path`)
	}
	return nil
}

// isToken reports whether s is an RFC 9110 token, the syntax of header
// names and cookie names.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

func checkCookieName(s string) error {
	if !isToken(s) {
		return errors.New("must be letters, digits and !#$%&'*+-.^_`|~ only, without spaces")
	}
	return nil
}

func checkHeaderName(s string) error {
	if !isToken(s) {
		return fmt.Errorf("%q is not a valid header name (letters, digits and !#$%%&'*+-.^_`|~ only)", s)
	}
	return nil
}

// checkWord accepts text without spaces or control characters (claims,
// scopes, request parameter names).
func checkWord(s string) error {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("%q must not contain spaces", s)
	}
	return nil
}

// logFieldRule accepts the known fields and "headers.<name>".
func logFieldRule(known []string) func(string) error {
	return func(s string) error {
		if name, ok := strings.CutPrefix(s, "headers."); ok {
			return checkHeaderName(name)
		}
		if !slices.Contains(known, s) {
			return fmt.Errorf("%q is not a log field (known: %s, or headers.<name>)", s, strings.Join(known, ", "))
		}
		return nil
	}
}

// hasControl reports a control character other than tab.
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) >= 0
}
