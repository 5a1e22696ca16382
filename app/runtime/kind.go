package runtime

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/fxamacker/cbor/v2"

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
	return attestationFmt(obj)
}

// attestationFmt is the "fmt" entry of a CBOR attestation object, or ""
// when the object does not decode.
func attestationFmt(obj []byte) string {
	var att struct {
		Format string `cbor:"fmt"`
	}
	if cbor.Unmarshal(obj, &att) != nil {
		return ""
	}
	return att.Format
}
