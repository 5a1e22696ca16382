package runtime

import (
	"net/url"
	"testing"
	"time"
)

// Core's own vector (internal/urlutil/signed_test.go): key "test-key",
// https://pomerium.io signed at 1574117851.
func TestSignURLMatchesCore(t *testing.T) {
	t.Parallel()
	got := SignURL([]byte("test-key"), &url.URL{Scheme: "https", Host: "pomerium.io"}, url.Values{}, time.Unix(1574117851, 0))
	want := "https://pomerium.io?pomerium_expiry=1574118151&pomerium_issued=1574117851&pomerium_signature=XtvM-Y-oPvoGGV2Q5G0vrQ_CgNeYhVyTG5dHIqLsBOU%3D"
	if got != want {
		t.Fatalf("SignURL = %s\nwant      %s", got, want)
	}
}

func TestAttestationFormat(t *testing.T) {
	t.Parallel()
	// {"authData": h'0102', "fmt": "tpm", "attStmt": {"ver": "2.0", "x": [1, -2]}}
	obj := []byte{0xa3,
		0x68, 'a', 'u', 't', 'h', 'D', 'a', 't', 'a', 0x42, 1, 2,
		0x63, 'f', 'm', 't', 0x63, 't', 'p', 'm',
		0x67, 'a', 't', 't', 'S', 't', 'm', 't', 0xa2, 0x63, 'v', 'e', 'r', 0x63, '2', '.', '0', 0x61, 'x', 0x82, 0x01, 0x21,
	}
	if got := attestationFmt(obj); got != "tpm" {
		t.Fatalf("fmt = %q", got)
	}
	if got := attestationFmt(obj[:20]); got != "" {
		t.Fatalf("a truncated object gave %q", got)
	}
}
