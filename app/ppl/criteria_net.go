package ppl

import (
	"encoding/base64"
	"net/netip"
	"regexp"
	"strings"
)

// certificateKeys are the keys of a client_certificate value.
var certificateKeys = []string{"fingerprint", "spki_hash", "san_email", "san_dns", "san_uri"}

// Fingerprint forms Core accepts: 64 lower-case hex digits, or 32
// upper-case hex pairs joined by colons (what openssl prints).
var (
	shortFingerprint = regexp.MustCompile(`^[0-9a-f]{64}$`)
	longFingerprint  = regexp.MustCompile(`^[0-9A-F]{2}(:[0-9A-F]{2}){31}$`)
)

// listItem is one string of a string-or-list value with its own path.
type listItem struct {
	path  string
	value string
}

// stringList reads a string or a non-empty list of strings; what names one
// element for messages.
func (c *checker) stringList(path string, v any, what string) ([]listItem, bool) {
	switch t := v.(type) {
	case string:
		return []listItem{{path, t}}, true
	case []any:
		if len(t) == 0 {
			c.errorf(path, "the list is empty; expected %s or a list of them", what)
			return nil, false
		}
		out := make([]listItem, 0, len(t))
		ok := true
		for i, e := range t {
			s, isStr := e.(string)
			if !isStr {
				c.errorf(index(path, i), "expected %s as a string, got %s", what, describe(e))
				ok = false
				continue
			}
			out = append(out, listItem{index(path, i), s})
		}
		return out, ok
	default:
		c.errorf(path, "expected %s or a list of them, got %s", what, describe(v))
		return nil, false
	}
}

func parseSourceIP(c *checker, path string, v any) Data {
	items, ok := c.stringList(path, v, "an IP or CIDR")
	out := SourceIP{Prefixes: make([]netip.Prefix, 0, len(items))}
	for _, it := range items {
		p, good := parsePrefix(strings.TrimSpace(it.value))
		if !good {
			c.errorf(it.path, "%s is not an IP or CIDR", quote(it.value))
			ok = false
			continue
		}
		out.Prefixes = append(out.Prefixes, p)
	}
	if !ok {
		return nil
	}
	return out
}

// parsePrefix reads a CIDR, or an IP as a single-address prefix. Zones
// (fe80::1%eth0) are refused: a client address never carries one.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p, err == nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

func parseClientCertificate(c *checker, path string, v any) Data {
	obj, ok := c.object(path, v, strings.Join(certificateKeys, ", "))
	if !ok {
		return nil
	}
	var cc ClientCertificate
	for _, m := range obj {
		at := child(path, m.Key)
		var good bool
		switch m.Key {
		case "fingerprint":
			cc.Fingerprints, good = c.fingerprints(at, m.Val)
		case "spki_hash":
			cc.SPKIHashes, good = c.spkiHashes(at, m.Val)
		case "san_email":
			cc.SANEmail, good = c.sanMatcher(at, m.Val)
		case "san_dns":
			cc.SANDNS, good = c.sanMatcher(at, m.Val)
		case "san_uri":
			cc.SANURI, good = c.sanMatcher(at, m.Val)
		default:
			c.errorf(path, "%s", unknown("key", m.Key, certificateKeys, true))
		}
		ok = ok && good
	}
	if !ok {
		return nil
	}
	return cc
}

// fingerprints reads SHA-256 fingerprints, normalised to lower-case hex.
func (c *checker) fingerprints(path string, v any) ([]string, bool) {
	items, ok := c.stringList(path, v, "a SHA-256 fingerprint")
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch {
		case shortFingerprint.MatchString(it.value):
			out = append(out, it.value)
		case longFingerprint.MatchString(it.value):
			out = append(out, strings.ToLower(strings.ReplaceAll(it.value, ":", "")))
		default:
			c.errorf(it.path, "%s is not a SHA-256 fingerprint; expected 64 lower-case hex digits or 32 upper-case hex pairs joined by \":\"", quote(it.value))
			ok = false
		}
	}
	return out, ok
}

// spkiHashes reads base64 SHA-256 hashes of a certificate's public key.
func (c *checker) spkiHashes(path string, v any) ([]string, bool) {
	items, ok := c.stringList(path, v, "an SPKI hash")
	out := make([]string, 0, len(items))
	for _, it := range items {
		if b, err := base64.StdEncoding.DecodeString(it.value); err != nil || len(b) != 32 {
			c.errorf(it.path, "%s is not a base64 SHA-256 hash (32 bytes)", quote(it.value))
			ok = false
			continue
		}
		out = append(out, it.value)
	}
	return out, ok
}

// sanMatcher reads a string matcher over a certificate's SANs.
func (c *checker) sanMatcher(path string, v any) (*StringMatcher, bool) {
	ops, ok := c.matcher(path, v, StringOperators)
	return &StringMatcher{Ops: ops}, ok
}
