package keypairs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// Field names of an upload, as the validation errors name them.
const (
	FieldName        = "name"
	FieldCertificate = "certificate"
	FieldKey         = "key"
	FieldPassword    = "password"
)

// PEM block types.
const (
	blockCertificate  = "CERTIFICATE"
	blockPKCS8        = "PRIVATE KEY"
	blockEncrypted8   = "ENCRYPTED PRIVATE KEY"
	blockECParameters = "EC PARAMETERS"
)

// decryptPKCS8Hint is what to run for an encrypted PKCS #8 key, which Go's
// standard library cannot decrypt.
const decryptPKCS8Hint = "is an encrypted PKCS #8 key, which the console cannot decrypt: run " +
	"`openssl pkcs8 -in key.pem -out key-plain.pem` (it asks for the password) and paste key-plain.pem instead"

// decodeBlocks returns every PEM block of src; text around and between the
// blocks (openssl's "subject=" lines, bag attributes) is ignored.
func decodeBlocks(src string) []*pem.Block {
	var blocks []*pem.Block
	rest := []byte(src)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return blocks
		}
		blocks = append(blocks, b)
	}
}

// isKeyBlock reports whether a PEM block type names private key material.
func isKeyBlock(typ string) bool {
	return strings.HasSuffix(typ, "PRIVATE KEY") || typ == blockECParameters
}

// parseChain reads the certificate field: one or more CERTIFICATE blocks,
// the leaf first and then each issuer. Problems are added to v.
func parseChain(v *errs.Validator, src string) []*x509.Certificate {
	switch {
	case strings.TrimSpace(src) == "":
		v.Add(FieldCertificate, errs.CodeRequired, "paste the certificate in PEM form (-----BEGIN CERTIFICATE-----)")
		return nil
	case len(src) > MaxCertificateLength:
		v.Add(FieldCertificate, errs.CodeTooLong, "must be at most %d KiB (got %d bytes)", MaxCertificateLength>>10, len(src))
		return nil
	}
	blocks := decodeBlocks(src)
	if len(blocks) == 0 {
		v.Add(FieldCertificate, errs.CodeInvalid, "is not PEM: expected a block starting with -----BEGIN CERTIFICATE-----")
		return nil
	}
	var chain []*x509.Certificate
	for i, b := range blocks {
		switch {
		case isKeyBlock(b.Type):
			v.Add(FieldCertificate, errs.CodeInvalid, "holds a private key (%s block): paste it under Private key, and only certificates here", b.Type)
			return nil
		case b.Type != blockCertificate:
			v.Add(FieldCertificate, errs.CodeInvalid, "holds a %s block: only CERTIFICATE blocks belong here", b.Type)
			return nil
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			v.Add(FieldCertificate, errs.CodeInvalid, "certificate %d does not parse: %v", i+1, err)
			return nil
		}
		chain = append(chain, c)
	}
	for i := 0; i+1 < len(chain); i++ {
		if !issued(chain[i+1], chain[i]) {
			v.Add(FieldCertificate, errs.CodeInvalid, "certificate %d (%s) was not issued by certificate %d (%s): put the leaf first, then each issuer in turn",
				i+1, nameOf(chain[i]), i+2, nameOf(chain[i+1]))
			return nil
		}
	}
	return chain
}

// issued reports whether parent signed child.
func issued(parent, child *x509.Certificate) bool {
	return bytes.Equal(child.RawIssuer, parent.RawSubject) && child.CheckSignatureFrom(parent) == nil
}

// nameOf names a certificate for messages: its subject, or its serial when
// the subject is empty.
func nameOf(c *x509.Certificate) string {
	if s := c.Subject.String(); s != "" {
		return s
	}
	return "serial " + serialOf(c)
}

// parseKey reads the key field: one private key, PKCS #1, PKCS #8 or
// SEC 1, optionally encrypted the legacy PEM way (then password decrypts
// it). Problems are added to v; the result is nil when there were any.
func parseKey(v *errs.Validator, src, password string) crypto.Signer {
	if len(src) > MaxKeyLength {
		v.Add(FieldKey, errs.CodeTooLong, "must be at most %d KiB (got %d bytes)", MaxKeyLength>>10, len(src))
		return nil
	}
	if len(password) > MaxPasswordLength {
		v.Add(FieldPassword, errs.CodeTooLong, "must be at most %d characters", MaxPasswordLength)
		return nil
	}
	var keys []*pem.Block
	for _, b := range decodeBlocks(src) {
		switch {
		case b.Type == blockCertificate:
			v.Add(FieldKey, errs.CodeInvalid, "is a certificate, not a private key: paste the key (a PRIVATE KEY block) here")
			return nil
		case b.Type == blockECParameters:
			// openssl ecparam -genkey writes the curve before the key; the
			// key repeats it.
		case isKeyBlock(b.Type):
			keys = append(keys, b)
		default:
			v.Add(FieldKey, errs.CodeInvalid, "holds a %s block: paste only the private key here", b.Type)
			return nil
		}
	}
	switch {
	case len(keys) == 0:
		v.Add(FieldKey, errs.CodeInvalid, "is not PEM: expected a block starting with -----BEGIN PRIVATE KEY-----")
		return nil
	case len(keys) > 1:
		v.Add(FieldKey, errs.CodeInvalid, "holds %d private keys: paste only the one of this certificate", len(keys))
		return nil
	case keys[0].Type == blockEncrypted8:
		v.Add(FieldKey, errs.CodeInvalid, decryptPKCS8Hint)
		return nil
	}
	der, ok := decryptLegacy(v, keys[0], password)
	if !ok {
		return nil
	}
	key, err := parsePrivateKey(der)
	var unsupported unsupportedKeyError
	switch {
	case errors.As(err, &unsupported):
		v.Add(FieldKey, errs.CodeInvalid, "%v", err)
	case err != nil && x509.IsEncryptedPEMBlock(keys[0]):
		// A wrong password can still pass the padding check and yield
		// bytes that do not parse.
		v.Add(FieldPassword, errs.CodeInvalid, "does not decrypt the private key")
	case err != nil:
		v.Add(FieldKey, errs.CodeInvalid, "does not parse as a PKCS #1, PKCS #8 or SEC 1 private key (RSA, ECDSA or Ed25519)")
	}
	return key
}

// decryptLegacy returns the DER of b, decrypting a legacy encrypted PEM
// block ("Proc-Type: 4,ENCRYPTED") with password. NB: Go deprecates this
// format as weak, but `openssl rsa -aes256` still writes it and the key is
// re-sealed properly once decrypted.
func decryptLegacy(v *errs.Validator, b *pem.Block, password string) ([]byte, bool) {
	if !x509.IsEncryptedPEMBlock(b) {
		return b.Bytes, true
	}
	if password == "" {
		v.Add(FieldPassword, errs.CodeRequired, "the private key is encrypted: enter its password")
		return nil, false
	}
	der, err := x509.DecryptPEMBlock(b, []byte(password))
	if err != nil {
		v.Add(FieldPassword, errs.CodeInvalid, "does not decrypt the private key")
		return nil, false
	}
	return der, true
}

// unsupportedKeyError reports a private key of a type TLS cannot use,
// such as an X25519 key.
type unsupportedKeyError struct{ key any }

func (e unsupportedKeyError) Error() string {
	return fmt.Sprintf("is a %T key: only RSA, ECDSA and Ed25519 keys can serve TLS", e.key)
}

// parsePrivateKey tries every encoding whatever the block type says:
// admins rename blocks more often than they convert keys.
func parsePrivateKey(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
			return k.(crypto.Signer), nil
		default:
			return nil, unsupportedKeyError{k}
		}
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not a private key")
}

// samePublicKey reports whether key is the private half of cert's key.
func samePublicKey(cert *x509.Certificate, key crypto.Signer) bool {
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(cert.PublicKey)
}

// encodeChain writes the certificates back as PEM, without the text that
// may have surrounded them.
func encodeChain(chain []*x509.Certificate) string {
	var b strings.Builder
	for _, c := range chain {
		_ = pem.Encode(&b, &pem.Block{Type: blockCertificate, Bytes: c.Raw})
	}
	return b.String()
}

// encodeKey writes key as PKCS #8 PEM, the one form every consumer reads.
func encodeKey(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("keypairs: encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: blockPKCS8, Bytes: der}), nil
}

// parseStoredChain parses a stored (so already checked) certificate PEM.
func parseStoredChain(src string) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for _, b := range decodeBlocks(src) {
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("keypairs: stored certificate: %w", err)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, errors.New("keypairs: stored certificate holds no PEM")
	}
	return chain, nil
}
