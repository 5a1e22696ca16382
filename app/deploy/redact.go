package deploy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
)

// secretSuffixes mark the Config fields that carry secrets by the end of
// their proto name: client secrets, private keys, tokens, connection
// strings (which hold passwords) and service account keys. Names ending
// in _id or _file only point at secrets and stay.
var secretSuffixes = []string{"secret", "_key", "_keys", "key_bytes", "token", "password", "connection_string", "service_account"}

// isSecretField reports whether field f carries a secret.
func isSecretField(f protoreflect.FieldDescriptor) bool {
	name := string(f.Name())
	for _, s := range secretSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// redact returns a copy of cfg fit to show in the console: every secret
// replaced by a keyed fingerprint of it, so a diff shows that a secret
// changed without showing it (the key keeps short secrets from being
// guessed from their fingerprint).
func redact(cfg *configpb.Config, key []byte) *configpb.Config {
	out := proto.Clone(cfg).(*configpb.Config)
	redactMessage(out.ProtoReflect(), key, false)
	return out
}

// redactMessage redacts the secret fields of m; inSecret marks a message
// held by a secret field (such as ssh_host_keys' StringList), all of whose
// strings are secret.
func redactMessage(m protoreflect.Message, key []byte, inSecret bool) {
	m.Range(func(f protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		secret := inSecret || isSecretField(f)
		switch {
		case f.IsMap():
		case f.IsList() && f.Kind() == protoreflect.MessageKind:
			for i := range v.List().Len() {
				redactMessage(v.List().Get(i).Message(), key, secret)
			}
		case f.IsList() && secret:
			list := v.List()
			for i := range list.Len() {
				list.Set(i, redactValue(f, list.Get(i), key))
			}
		case f.Kind() == protoreflect.MessageKind:
			redactMessage(v.Message(), key, secret)
		case secret:
			m.Set(f, redactValue(f, v, key))
		}
		return true
	})
}

// redactValue replaces one string or bytes value by its fingerprint;
// other kinds (a port, a flag) stay.
func redactValue(f protoreflect.FieldDescriptor, v protoreflect.Value, key []byte) protoreflect.Value {
	switch f.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(fingerprint(key, []byte(v.String())))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte(fingerprint(key, v.Bytes())))
	}
	return v
}

// fingerprint is how a redacted secret reads.
func fingerprint(key, secret []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(secret)
	return "(secret, fingerprint " + hex.EncodeToString(mac.Sum(nil))[:12] + ")"
}
