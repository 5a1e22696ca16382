package deploy

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
)

func TestRedactHidesEverySecret(t *testing.T) {
	t.Parallel()
	secrets := []string{"route-idp-secret", "route-k8s-token", "route-client-key", "cookie-secret", "settings-idp-secret",
		"postgres://u:pw@db", "gcp-sa-json", "shared-secret", "signing-key", "cert-key-bytes", "ssh-host-key", "eab-mac"}
	cfg := &configpb.Config{
		Routes: []*configpb.Route{{
			From: "https://a.example.com", IdpClientSecret: proto.String(secrets[0]), KubernetesServiceAccountToken: secrets[1],
			TlsClientKey: secrets[2], TlsClientCert: "public-cert", IdpClientId: proto.String("client-id"),
		}},
		Settings: &configpb.Settings{
			CookieSecret: proto.String(secrets[3]), IdpClientSecret: proto.String(secrets[4]),
			DatabrokerStorageConnectionString: proto.String(secrets[5]), GoogleCloudServerlessAuthenticationServiceAccount: proto.String(secrets[6]),
			SharedSecret: proto.String(secrets[7]), SigningKey: proto.String(secrets[8]),
			Certificates:      []*configpb.Settings_Certificate{{Id: "kp", CertBytes: []byte("public-cert"), KeyBytes: []byte(secrets[9])}},
			SshHostKeys:       &configpb.Settings_StringList{Values: []string{secrets[10]}},
			AutocertEabMacKey: proto.String(secrets[11]),
			IdpClientId:       proto.String("client-id"),
		},
	}
	key := []byte("k")
	out := prototext.Format(redact(cfg, key))
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the redacted config still holds %q", s)
		}
	}
	for _, kept := range []string{"public-cert", "client-id", "https://a.example.com", "kp"} {
		if !strings.Contains(out, kept) {
			t.Errorf("the redacted config lost %q, which is no secret", kept)
		}
	}
	if !strings.Contains(prototext.Format(cfg), secrets[0]) {
		t.Error("redact changed its input")
	}
	// Equal secrets get equal fingerprints, different ones differ.
	if fingerprint(key, []byte("a")) != fingerprint(key, []byte("a")) || fingerprint(key, []byte("a")) == fingerprint(key, []byte("b")) {
		t.Error("fingerprints do not tell secrets apart")
	}
}

func TestStoredFormsRoundTrip(t *testing.T) {
	t.Parallel()
	sealer := testSealer(t)
	m := render.Model{ClusterID: "default", RootNamespaceID: "global", Routes: []render.Route{{ID: "r1", Name: "ü", From: "https://a.example.com"}}}
	encoded, err := encodeModel(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeModel(encoded)
	if err != nil || !sameJSON(back, m) {
		t.Fatalf("model round trip: %+v, %v", back, err)
	}
	cfg := &configpb.Config{Name: "pomerium-console", Routes: []*configpb.Route{{From: "https://a.example.com", TlsClientKey: "secret key"}}}
	wire, hash, err := marshalConfig(cfg)
	if err != nil || !strings.HasPrefix(hash, "sha256:") {
		t.Fatalf("marshal: %q, %v", hash, err)
	}
	sealed, err := sealConfig(sealer, "d1", wire)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "secret key") {
		t.Fatal("the stored configuration is not sealed")
	}
	opened, err := openConfig(sealer, "d1", sealed)
	if err != nil || !proto.Equal(opened, cfg) {
		t.Fatalf("open: %v, %v", opened, err)
	}
	if _, err := openConfig(sealer, "d2", sealed); err == nil {
		t.Error("a configuration sealed for one deployment opened for another")
	}
}
