package seal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func mustNew(t *testing.T, primary []byte, older ...[]byte) *Sealer {
	t.Helper()
	s, err := New(primary, older...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	key := testKey(7)
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{name: "std padded", in: base64.StdEncoding.EncodeToString(key)},
		{name: "raw url", in: base64.RawURLEncoding.EncodeToString(key)},
		{name: "trailing newline", in: base64.StdEncoding.EncodeToString(key) + "\n"},
		{name: "short", in: base64.StdEncoding.EncodeToString(key[:12]), wantErr: "must be 32 bytes of base64 (got 12 bytes)"},
		{name: "not base64", in: "not base64!", wantErr: "must be 32 bytes of base64 (not valid base64)"},
		{name: "empty", in: "", wantErr: "must be 32 bytes of base64 (got 0 bytes)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseKey(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, key) {
				t.Fatalf("ParseKey = %x, %v", got, err)
			}
		})
	}
}

func TestNewRejectsBadKeys(t *testing.T) {
	t.Parallel()
	if _, err := New(testKey(1)[:16]); err == nil {
		t.Fatal("New accepted a 16-byte primary key")
	}
	if _, err := New(testKey(1), testKey(2)[:31]); err == nil || !strings.Contains(err.Error(), "key 1") {
		t.Fatalf("New with a bad older key: %v, want an error naming key 1", err)
	}
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	s := mustNew(t, testKey(1))
	sealed, err := s.Seal([]byte("secret"), "console_keys/recovery")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(sealed, ".")
	if len(parts) != 3 || parts[0] != "v1" || parts[1] != s.KeyID() || len(parts[1]) != 8 {
		t.Fatalf("sealed = %q, want v1.<8 hex keyid>.<data>", sealed)
	}
	again, _ := s.Seal([]byte("secret"), "console_keys/recovery")
	if again == sealed {
		t.Fatal("two seals of one plaintext are equal: nonce not random")
	}

	// Flip one ciphertext bit so the encoding stays valid and only GCM's tag can notice.
	raw, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-20] ^= 1
	tampered := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(raw)

	tests := []struct {
		name    string
		value   string
		context string
		wantErr error
	}{
		{name: "round trip", value: sealed, context: "console_keys/recovery"},
		{name: "wrong context", value: sealed, context: "settings/shared_secret", wantErr: ErrMalformed},
		{name: "tampered byte", value: tampered, context: "console_keys/recovery", wantErr: ErrMalformed},
		{name: "truncated", value: sealed[:20], context: "console_keys/recovery", wantErr: ErrMalformed},
		{name: "not sealed", value: "plain text", context: "console_keys/recovery", wantErr: ErrMalformed},
		{name: "other version", value: "v2" + sealed[2:], context: "console_keys/recovery", wantErr: ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Open(tc.value, tc.context)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Open err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || string(got) != "secret" {
				t.Fatalf("Open = %q, %v", got, err)
			}
		})
	}
}

func TestOpenWrongKeyMessage(t *testing.T) {
	t.Parallel()
	a, b := mustNew(t, testKey(1)), mustNew(t, testKey(2))
	sealed, err := a.Seal([]byte("x"), "c")
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Open(sealed, "c")
	if !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("err = %v, want ErrUnknownKey", err)
	}
	want := "sealed with key " + a.KeyID() + ", not the configured database_encryption_key"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %q, want it to contain %q", err, want)
	}
}

func TestRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey := testKey(1), testKey(2)
	old := mustNew(t, oldKey)
	sealedOld, err := old.Seal([]byte("before rotation"), "c")
	if err != nil {
		t.Fatal(err)
	}
	rotated := mustNew(t, newKey, oldKey)
	got, err := rotated.Open(sealedOld, "c")
	if err != nil || string(got) != "before rotation" {
		t.Fatalf("rotated.Open(old value) = %q, %v", got, err)
	}
	sealedNew, err := rotated.Seal([]byte("after"), "c")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sealedNew, "."+mustNew(t, newKey).KeyID()+".") {
		t.Fatalf("rotated sealer sealed %q, not with the new primary key", sealedNew)
	}
	if _, err := old.Open(sealedNew, "c"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("old sealer opened a value of the new key: %v", err)
	}
}

func TestDerive(t *testing.T) {
	t.Parallel()
	s1, s2 := mustNew(t, testKey(1)), mustNew(t, testKey(1), testKey(9))
	other := mustNew(t, testKey(2))
	a := s1.Derive("session/hash", 32)
	tests := []struct {
		name  string
		got   []byte
		equal bool
	}{
		{name: "deterministic across sealers with the same primary", got: s2.Derive("session/hash", 32), equal: true},
		{name: "other purpose differs", got: s1.Derive("session/block", 32), equal: false},
		{name: "other key differs", got: other.Derive("session/hash", 32), equal: false},
		{name: "not the raw key", got: testKey(1), equal: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if bytes.Equal(a, tc.got) != tc.equal {
				t.Fatalf("Derive equal = %v, want %v", !tc.equal, tc.equal)
			}
		})
	}
	if n := len(s1.Derive("x", 64)); n != 64 {
		t.Fatalf("Derive(64) returned %d bytes", n)
	}
}
