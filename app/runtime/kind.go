package runtime

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"

	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
)

// Kind is the kind of authenticator behind a credential; the numbers are
// those of the enterprise API's DeviceKind.
type Kind int32

// Kinds.
const (
	KindUnknown Kind = 0
	KindFIDOU2F Kind = 1
	KindAndroid Kind = 2
	KindApple   Kind = 3
	KindTPM     Kind = 4
	KindWindows Kind = 5
)

// String names the kind for people.
func (k Kind) String() string {
	switch k {
	case KindFIDOU2F:
		return "Security key (U2F)"
	case KindAndroid:
		return "Android"
	case KindApple:
		return "Apple"
	case KindTPM:
		return "TPM"
	case KindWindows:
		return "Windows"
	}
	return "Unknown"
}

// kindOf reads the kind from the attestation format the authenticator
// used when it registered (fido-u2f, android-key, apple, tpm, ...), and
// otherwise guesses from the enrolling browser's user agent, since
// platform authenticators often attest with "none" or "packed".
func kindOf(cred *devicepb.Credential, userAgent string) Kind {
	switch attestationFormat(cred.GetWebauthn().GetRegisterResponse()) {
	case "fido-u2f":
		return KindFIDOU2F
	case "android-key", "android-safetynet":
		return KindAndroid
	case "apple":
		return KindApple
	case "tpm":
		return KindTPM
	}
	if cred == nil {
		return KindUnknown
	}
	ua := strings.ToLower(userAgent)
	switch {
	case strings.Contains(ua, "android"):
		return KindAndroid
	case strings.Contains(ua, "iphone"), strings.Contains(ua, "ipad"), strings.Contains(ua, "macintosh"):
		return KindApple
	case strings.Contains(ua, "windows"):
		return KindWindows
	}
	return KindUnknown
}

// attestationFormat returns the "fmt" of the attestation object in a
// WebAuthn registration response (JSON with response.attestationObject,
// base64url), or "" when it cannot be read.
func attestationFormat(registerResponse []byte) string {
	if len(registerResponse) == 0 {
		return ""
	}
	var res struct {
		Response struct {
			AttestationObject string `json:"attestationObject"`
		} `json:"response"`
	}
	if json.Unmarshal(registerResponse, &res) != nil {
		return ""
	}
	raw := res.Response.AttestationObject
	obj, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(raw, "="))
	if err != nil {
		if obj, err = base64.StdEncoding.DecodeString(raw); err != nil {
			return ""
		}
	}
	format, _ := cborMapText(obj, "fmt")
	return format
}

// errCBOR is any attestation object this small reader cannot follow.
var errCBOR = errors.New("unreadable CBOR")

// cborMapText finds the text value of key in a top-level CBOR map with
// text keys, the shape of a WebAuthn attestation object. It reads just
// enough CBOR (RFC 8949, definite lengths) to skip the other entries.
func cborMapText(b []byte, key string) (string, error) {
	major, n, rest, err := cborHead(b)
	if err != nil || major != 5 {
		return "", errCBOR
	}
	for range n {
		var k []byte
		if k, rest, err = cborText(rest); err != nil {
			return "", err
		}
		if string(k) == key {
			v, _, err := cborText(rest)
			return string(v), err
		}
		if rest, err = cborSkip(rest); err != nil {
			return "", err
		}
	}
	return "", errCBOR
}

// cborHead reads an item's major type and argument.
func cborHead(b []byte) (major byte, arg uint64, rest []byte, err error) {
	if len(b) == 0 {
		return 0, 0, nil, errCBOR
	}
	major, info := b[0]>>5, b[0]&0x1f
	b = b[1:]
	switch {
	case info < 24:
		return major, uint64(info), b, nil
	case info == 24 && len(b) >= 1:
		return major, uint64(b[0]), b[1:], nil
	case info == 25 && len(b) >= 2:
		return major, uint64(binary.BigEndian.Uint16(b)), b[2:], nil
	case info == 26 && len(b) >= 4:
		return major, uint64(binary.BigEndian.Uint32(b)), b[4:], nil
	case info == 27 && len(b) >= 8:
		return major, binary.BigEndian.Uint64(b), b[8:], nil
	}
	return 0, 0, nil, errCBOR
}

// cborText reads a text string.
func cborText(b []byte) ([]byte, []byte, error) {
	major, n, rest, err := cborHead(b)
	if err != nil || major != 3 || uint64(len(rest)) < n {
		return nil, nil, errCBOR
	}
	return rest[:n], rest[n:], nil
}

// cborSkip skips one item.
func cborSkip(b []byte) ([]byte, error) {
	major, n, rest, err := cborHead(b)
	if err != nil {
		return nil, err
	}
	switch major {
	case 0, 1, 7:
		return rest, nil
	case 2, 3:
		if uint64(len(rest)) < n {
			return nil, errCBOR
		}
		return rest[n:], nil
	case 4, 5:
		items := n
		if major == 5 {
			items *= 2
		}
		if items > uint64(len(rest)) {
			return nil, errCBOR
		}
		for range items {
			if rest, err = cborSkip(rest); err != nil {
				return nil, err
			}
		}
		return rest, nil
	case 6:
		return cborSkip(rest)
	}
	return nil, errCBOR
}
