package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length in bytes of database_encryption_key.
const KeySize = 32

// version prefixes every sealed value; a new format gets a new version.
const version = "v1"

// HKDF info strings: the configured key is never used directly, so the AES
// key, the key id and derived keys stay independent of one another.
const (
	infoAEAD   = "pomerium-console seal aes-256-gcm v1"
	infoKeyID  = "pomerium-console seal key-id v1"
	infoDerive = "pomerium-console derive v1 "
)

// ErrUnknownKey reports a value sealed with a key that is not configured.
// Its text is worded to read inside Open's error.
var ErrUnknownKey = errors.New("not the configured database_encryption_key")

// ErrMalformed reports a value that is not a sealed value or does not open
// (tampered with, or sealed for another context).
var ErrMalformed = errors.New("value does not open")

// Sealer seals with its primary key and opens with the primary or any older key.
type Sealer struct {
	primary []byte
	current *sealKey
	keys    map[string]*sealKey
}

type sealKey struct {
	id   string
	aead cipher.AEAD
}

// DecodeBase64 decodes s (surrounding space trimmed) in any of the base64
// forms admins paste: standard or URL alphabet, padded or not.
func DecodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		var b []byte
		if b, err = enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("seal: not base64: %w", err)
}

// ParseKey decodes a base64 database_encryption_key (see DecodeBase64). Its
// error reads after the setting's name, e.g. "must be 32 bytes of base64
// (got 12 bytes)", and never contains the key.
func ParseKey(b64 string) ([]byte, error) {
	key, err := DecodeBase64(b64)
	if err != nil {
		return nil, fmt.Errorf("must be %d bytes of base64 (not valid base64)", KeySize)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("must be %d bytes of base64 (got %d bytes)", KeySize, len(key))
	}
	return key, nil
}

// New returns a Sealer that seals with primary and also opens values sealed
// with any of older. Every key must be KeySize bytes.
func New(primary []byte, older ...[]byte) (*Sealer, error) {
	s := &Sealer{primary: append([]byte(nil), primary...), keys: map[string]*sealKey{}}
	for i, key := range append([][]byte{primary}, older...) {
		k, err := newSealKey(key)
		if err != nil {
			return nil, fmt.Errorf("seal: key %d: %w", i, err)
		}
		if i == 0 {
			s.current = k
		}
		if _, dup := s.keys[k.id]; !dup {
			s.keys[k.id] = k
		}
	}
	return s, nil
}

func newSealKey(key []byte) (*sealKey, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("must be %d bytes (got %d)", KeySize, len(key))
	}
	aesKey := mustHKDF(key, infoAEAD, KeySize)
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealKey{id: keyID(key), aead: aead}, nil
}

// keyID names a key without revealing it: a hash of a key derived for this
// purpose only.
func keyID(key []byte) string {
	sum := sha256.Sum256(mustHKDF(key, infoKeyID, 32))
	return hex.EncodeToString(sum[:4])
}

// mustHKDF panics only when n is beyond HKDF-SHA256's limit (255*32 bytes),
// which is a programming error.
func mustHKDF(key []byte, info string, n int) []byte {
	out, err := hkdf.Key(sha256.New, key, nil, info, n)
	if err != nil {
		panic(fmt.Sprintf("seal: hkdf: %v", err))
	}
	return out
}

// KeyID returns the id of the primary key, as it appears in sealed values.
func (s *Sealer) KeyID() string { return s.current.id }

// Seal encrypts plaintext for context (e.g. "console_keys/recovery") and
// returns "v1.<keyid>.<base64url(nonce|ciphertext)>".
func (s *Sealer) Seal(plaintext []byte, context string) (string, error) {
	aead := s.current.aead
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: nonce: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, []byte(context))
	return version + "." + s.current.id + "." + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value made by Seal with the same context. A value sealed
// with a key this Sealer does not hold fails with ErrUnknownKey; a damaged
// value or another context fails with ErrMalformed.
func (s *Sealer) Open(sealed, context string) ([]byte, error) {
	ver, rest, ok1 := strings.Cut(sealed, ".")
	id, data, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || ver != version {
		return nil, fmt.Errorf("seal: %w: not a %s sealed value", ErrMalformed, version)
	}
	k, ok := s.keys[id]
	if !ok {
		return nil, fmt.Errorf("seal: sealed with key %s, %w (key %s)", id, ErrUnknownKey, s.current.id)
	}
	raw, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil || len(raw) < k.aead.NonceSize() {
		return nil, fmt.Errorf("seal: %w: bad encoding", ErrMalformed)
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return nil, fmt.Errorf("seal: %w: tampered with, or sealed for another context than %q", ErrMalformed, context)
	}
	return plain, nil
}

// Derive returns n bytes derived (HKDF-SHA256) from the primary key for
// purpose, e.g. the session cookie keys: every replica configured with the
// same database_encryption_key derives the same bytes, and different
// purposes get unrelated bytes. It panics when n exceeds 8160.
func (s *Sealer) Derive(purpose string, n int) []byte {
	return mustHKDF(s.primary, infoDerive+purpose, n)
}
