package ppl

import (
	"net/netip"
	"testing"
)

const (
	// fpShort and fpLong are one SHA-256 fingerprint in Core's two forms.
	fpShort = "17759cffe904351dab196db93730930cf4f066b13a2db12b5bbf17cfa5198c82"
	fpLong  = "17:75:9C:FF:E9:04:35:1D:AB:19:6D:B9:37:30:93:0C:F4:F0:66:B1:3A:2D:B1:2B:5B:BF:17:CF:A5:19:8C:82"
	// spkiHash is the base64 SHA-256 of the empty string: 32 bytes.
	spkiHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

	// The wire form of an authorized_keys line is its base64 field.
	edKeyWire = "AAAAC3NzaC1lZDI1NTE5AAAAIGZuyY5fC9Xuk4jsgC2iiLyRs0GuTKFIU2a9uNCqUeTN"
	edKey     = "ssh-ed25519 " + edKeyWire + " alice@example.com"
	caKeyWire = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPX02sj6TA3/1KeKZr1hyTns7hOW/O4z0jDJKXu6ephEXnjIOUE88zO1HLkfzijfOP6njMaIvfeOBum5UABKlR0="
	caKey     = "ecdsa-sha2-nistp256 " + caKeyWire + " ca"
)

func prefixes(s ...string) SourceIP {
	out := SourceIP{Prefixes: make([]netip.Prefix, len(s))}
	for i, p := range s {
		out.Prefixes[i] = netip.MustParsePrefix(p)
	}
	return out
}

func TestSourceIP(t *testing.T) {
	t.Parallel()
	runCritCases(t, []critCase{
		{name: "cidr", src: "source_ip: 10.0.0.0/8", want: prefixes("10.0.0.0/8")},
		{name: "ipv4 becomes /32", src: "source_ip: 192.168.1.7", want: prefixes("192.168.1.7/32")},
		{name: "ipv6 becomes /128", src: `source_ip: "::1"`, want: prefixes("::1/128")},
		{name: "ipv6 cidr", src: `source_ip: "2001:db8::/32"`, want: prefixes("2001:db8::/32")},
		{name: "host bits kept as written", src: "source_ip: 10.1.2.3/8", want: prefixes("10.1.2.3/8")},
		{name: "spaces trimmed", src: `source_ip: " 10.0.0.1 "`, want: prefixes("10.0.0.1/32")},
		{name: "list", src: `source_ip: [10.0.0.0/8, 172.16.0.1, "fd00::/8"]`, want: prefixes("10.0.0.0/8", "172.16.0.1/32", "fd00::/8")},

		{name: "bad octet", src: `source_ip: "10.0.0.300/8"`, errs: []string{`source_ip: "10.0.0.300/8" is not an IP or CIDR`}},
		{name: "hostname", src: "source_ip: example.com", errs: []string{`source_ip: "example.com" is not an IP or CIDR`}},
		{name: "bad bits", src: "source_ip: 10.0.0.0/33", errs: []string{`source_ip: "10.0.0.0/33" is not an IP or CIDR`}},
		{name: "zone", src: `source_ip: "fe80::1%eth0"`, errs: []string{`source_ip: "fe80::1%eth0" is not an IP or CIDR`}},
		{name: "bad items of a list", src: `source_ip: [10.0.0.0/8, 5, nope]`, errs: []string{
			"source_ip[1]: expected an IP or CIDR as a string, got a number (5)",
			`source_ip[2]: "nope" is not an IP or CIDR`,
		}},
		{name: "empty list", src: "source_ip: []", errs: []string{"source_ip: the list is empty; expected an IP or CIDR or a list of them"}},
		{name: "object", src: "source_ip: {is: 10.0.0.1}", errs: []string{"source_ip: expected an IP or CIDR or a list of them, got an object"}},
		{name: "null", src: "source_ip: null", errs: []string{"source_ip: expected an IP or CIDR or a list of them, got null"}},
	})
}

func TestClientCertificate(t *testing.T) {
	t.Parallel()
	keys := joined(certificateKeys)
	runCritCases(t, []critCase{
		{name: "short fingerprint", src: "client_certificate: {fingerprint: " + fpShort + "}",
			want: ClientCertificate{Fingerprints: []string{fpShort}}},
		{name: "long fingerprint normalised", src: "client_certificate: {fingerprint: " + fpLong + "}",
			want: ClientCertificate{Fingerprints: []string{fpShort}}},
		{name: "fingerprint list", src: `client_certificate: {fingerprint: ["` + fpLong + `", ` + fpShort + `]}`,
			want: ClientCertificate{Fingerprints: []string{fpShort, fpShort}}},
		{name: "spki hash", src: `client_certificate: {spki_hash: "` + spkiHash + `"}`,
			want: ClientCertificate{SPKIHashes: []string{spkiHash}}},
		{name: "san matchers", src: `client_certificate: {san_email: a@example.com, san_dns: {ends_with: .example.com}, san_uri: {starts_with: "spiffe://x/"}}`,
			want: ClientCertificate{
				SANEmail: ptr(strm(sop("is", "a@example.com"))),
				SANDNS:   ptr(strm(sop("ends_with", ".example.com"))),
				SANURI:   ptr(strm(sop("starts_with", "spiffe://x/"))),
			}},
		{name: "empty object matches any valid certificate", src: "client_certificate: {}", want: ClientCertificate{}},

		{name: "not an object", src: "client_certificate: " + fpShort,
			errs: []string{`client_certificate: expected an object with ` + keys + `, got a string ("` + fpShort[:59] + `…")`}},
		{name: "short fingerprint in upper case", src: "client_certificate: {fingerprint: ABC}",
			errs: []string{`client_certificate.fingerprint: "ABC" is not a SHA-256 fingerprint; expected 64 lower-case hex digits or 32 upper-case hex pairs joined by ":"`}},
		{name: "long fingerprint in lower case", src: `client_certificate: {fingerprint: ["` + fpShort + `", "17:75:9c"]}`,
			errs: []string{`client_certificate.fingerprint[1]: "17:75:9c" is not a SHA-256 fingerprint; expected 64 lower-case hex digits or 32 upper-case hex pairs joined by ":"`}},
		{name: "fingerprint number", src: "client_certificate: {fingerprint: 5}",
			errs: []string{"client_certificate.fingerprint: expected a SHA-256 fingerprint or a list of them, got a number (5)"}},
		{name: "spki not base64", src: "client_certificate: {spki_hash: 'not base64!'}",
			errs: []string{`client_certificate.spki_hash: "not base64!" is not a base64 SHA-256 hash (32 bytes)`}},
		{name: "spki too short", src: "client_certificate: {spki_hash: [aGVsbG8=]}",
			errs: []string{`client_certificate.spki_hash[0]: "aGVsbG8=" is not a base64 SHA-256 hash (32 bytes)`}},
		{name: "bad san matcher", src: "client_certificate: {san_dns: {contain: x}}",
			errs: []string{`client_certificate.san_dns: unknown operator "contain"; did you mean "contains"?`}},
		{name: "unknown key", src: "client_certificate: {subject: x}",
			errs: []string{`client_certificate: unknown key "subject"; expected one of ` + keys}},
		{name: "unknown key with suggestion", src: "client_certificate: {fingerprints: " + fpShort + "}",
			errs: []string{`client_certificate: unknown key "fingerprints"; did you mean "fingerprint"?`}},
	})
}

func TestDevice(t *testing.T) {
	t.Parallel()
	runCritCases(t, []critCase{
		{name: "empty object", src: "device: {}", want: Device{Type: "any"}},
		{name: "approved", src: "device: {approved: true}", want: Device{Type: "any", Approved: ptr(true)}},
		{name: "not approved", src: "device: {approved: false}", want: Device{Type: "any", Approved: ptr(false)}},
		{name: "is", src: "device: {is: cred-1}", want: Device{Type: "any", Is: "cred-1"}},
		{name: "type", src: "device: {type: enclave_only}", want: Device{Type: "enclave_only"}},
		{name: "all", src: "device: {is: c, approved: true, type: t}", want: Device{Type: "t", Is: "c", Approved: ptr(true)}},

		{name: "approved as string", src: "device: {approved: 'yes'}", errs: []string{`device.approved: expected true or false, got a string ("yes")`}},
		{name: "empty is", src: `device: {is: ""}`, errs: []string{"device.is: expected a device credential id, got an empty string"}},
		{name: "type number", src: "device: {type: 5}", errs: []string{"device.type: expected a device type such as any or enclave_only, got a number (5)"}},
		{name: "typo", src: "device: {aproved: true}", errs: []string{`device: unknown key "aproved"; did you mean "approved"?`}},
		{name: "not an object", src: "device: true", errs: []string{"device: expected an object with is, approved, type, got a boolean (true)"}},
		{name: "several problems", src: "device: {is: 1, approved: 1}", errs: []string{
			"device.is: expected a device credential id, got a number (1)",
			"device.approved: expected true or false, got a number (1)",
		}},
	})
}

func TestSSHKeys(t *testing.T) {
	t.Parallel()
	runCritCases(t, []critCase{
		{name: "publickey", src: "ssh_publickey: " + edKey, want: SSHKeys{edKeyWire}},
		{name: "publickey with options", src: `ssh_publickey: 'from="10.0.0.0/8" ` + edKey + `'`, want: SSHKeys{edKeyWire}},
		{name: "publickey list", src: "ssh_publickey: [" + edKey + ", " + caKey + "]", want: SSHKeys{edKeyWire, caKeyWire}},
		{name: "ca", src: "ssh_ca: " + caKey, want: SSHKeys{caKeyWire}},

		{name: "not a key", src: "ssh_publickey: hello", errs: []string{`ssh_publickey: "hello" is not an authorized_keys public key`}},
		{name: "damaged key", src: "ssh_ca: [ssh-ed25519 AAAAC3Nza]", errs: []string{`ssh_ca[0]: "ssh-ed25519 AAAAC3Nza" is not an authorized_keys public key`}},
		{name: "two keys in one string", src: `ssh_publickey: "` + edKey + `\n` + caKey + `"`,
			errs: []string{"ssh_publickey: the string holds more than one line; give each key its own list item"}},
		{name: "number", src: "ssh_publickey: 5", errs: []string{"ssh_publickey: expected an authorized_keys line or a list of them, got a number (5)"}},
		{name: "empty list", src: "ssh_ca: []", errs: []string{"ssh_ca: the list is empty; expected an authorized_keys line or a list of them"}},
	})
}
