package routes

import (
	"encoding/hex"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// isToken reports whether s is an RFC 9110 token, the syntax of a header name.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

// headerValueProblem explains why s cannot be sent as a header value, or
// returns "".
func headerValueProblem(s string) string {
	if strings.ContainsAny(s, "\r\n\x00") {
		return "must not contain line breaks or NUL characters"
	}
	return ""
}

// hostProblem explains why s is not a host name or IP address, with an
// optional port when withPort, or returns "". A leading "*." wildcard is
// allowed when wildcard.
func hostProblem(s string, withPort, wildcard bool) string {
	host := s
	if withPort {
		if h, port, err := net.SplitHostPort(s); err == nil {
			if p := portProblem(port); p != "" {
				return p
			}
			host = h
		}
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		return ""
	}
	if wildcard {
		host = strings.TrimPrefix(host, "*.")
	}
	if !isDNSName(host) {
		return fmt.Sprintf("%q is not a valid host name", s)
	}
	return ""
}

// portProblem checks a port number's text.
func portProblem(port string) string {
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("port %q must be a number from 1 to 65535", port)
	}
	return ""
}

// isDNSName reports whether s is a host name: dot-separated labels of
// letters, digits and inner hyphens, at most 253 characters.
func isDNSName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// hexProblem checks a health-check payload: Envoy reads it as hex bytes.
func hexProblem(s string) string {
	if _, err := hex.DecodeString(s); err != nil {
		return fmt.Sprintf("%q is not hex bytes (pairs of 0-9 and a-f, e.g. 50494E47 for PING)", s)
	}
	return ""
}

// regexProblem compiles pattern as RE2, the syntax Envoy uses, and explains
// a failure.
func regexProblem(pattern string) string {
	if _, err := regexp.Compile(pattern); err != nil {
		return "is not a valid RE2 regular expression: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")
	}
	return ""
}
