package runtime

import (
	"bytes"
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

func TestBase58(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte("Hello World!"), "2NEpo7TZRRrLZSi2U"},
		{[]byte{0, 0, 0x28, 0x7f, 0xb4, 0xcd}, "11233QC4"},
		{[]byte{0}, "1"},
		{nil, ""},
		{[]byte("The quick brown fox jumps over the lazy dog."), "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"},
	}
	for _, tc := range tests {
		if got := base58Encode(tc.in); got != tc.want {
			t.Errorf("encode %q = %q, want %q", tc.in, got, tc.want)
		}
		back, ok := base58Decode(tc.want)
		if !ok || !bytes.Equal(back, tc.in) && !(len(back) == 0 && len(tc.in) == 0) {
			t.Errorf("decode %q = %x, %v", tc.want, back, ok)
		}
	}
	if _, ok := base58Decode("0OIl"); ok {
		t.Error("decoded characters outside the alphabet")
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
	if got, err := cborMapText(obj, "fmt"); err != nil || got != "tpm" {
		t.Fatalf("fmt = %q, %v", got, err)
	}
	if got, err := cborMapText(obj, "nope"); err == nil {
		t.Fatalf("a missing key gave %q", got)
	}
	if _, err := cborMapText(obj[:20], "fmt"); err == nil {
		t.Fatal("a truncated object was read")
	}
}
