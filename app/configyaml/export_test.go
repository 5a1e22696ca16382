package configyaml

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"testing"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
)

// TestExportBundleNamesFilesForFurtherCertificates: Core takes one
// certificate inline; the others go to files the YAML names, and an
// import that can read them gets every certificate back.
func TestExportBundleNamesFilesForFurtherCertificates(t *testing.T) {
	t.Parallel()
	cfg := &configpb.Config{Settings: &configpb.Settings{}}
	for i := range 3 {
		cfg.Settings.Certificates = append(cfg.Settings.Certificates, &configpb.Settings_Certificate{
			Id: fmt.Sprintf("kp/%d", i), CertBytes: []byte(pemCert), KeyBytes: fakeKey(i),
		})
	}
	b, err := ExportBundle(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"certificate: " + b64PEM, "certificate_key: " + b64(string(fakeKey(0))), "- cert: certs/kp_1.pem\n    key: certs/kp_1.key", "- cert: certs/kp_2.pem"} {
		if !strings.Contains(string(b.YAML), want) {
			t.Errorf("the YAML lacks %q:\n%s", want, b.YAML)
		}
	}
	if len(b.Files) != 4 || string(b.Files["certs/kp_2.key"]) != string(fakeKey(2)) {
		t.Fatalf("files = %v", b.Files)
	}
	read := func(name string) ([]byte, error) {
		if v, ok := b.Files[name]; ok {
			return v, nil
		}
		return nil, os.ErrNotExist
	}
	plan, err := Parse("config.yaml", b.YAML, WithReadFile(read))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kp := range plan.KeyPairs {
		keys = append(keys, kp.PrivateKey)
	}
	if strings.Join(keys, ",") != strings.Join([]string{string(fakeKey(0)), string(fakeKey(1)), string(fakeKey(2))}, ",") {
		t.Errorf("imported keys = %q", keys)
	}
	archive, err := b.Zip()
	if err != nil {
		t.Fatal(err)
	}
	if plan, err := ParseZip("config.zip", archive); err != nil || len(plan.KeyPairs) != 3 || plan.File != "config.zip/config.yaml" {
		t.Errorf("ParseZip of the bundle's zip = %+v, %v", plan, err)
	}
	if one, err := ExportBundle(&configpb.Config{Settings: &configpb.Settings{Certificates: cfg.Settings.Certificates[:1]}}); err != nil || one.Files != nil {
		t.Errorf("one certificate needs no file: %v, %v", one.Files, err)
	}
}

// fakeKey is a PEM block standing for private key i.
func fakeKey(i int) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte(fmt.Sprintf("key %d", i))})
}

func TestExportRefusesAPolicyWithoutPPL(t *testing.T) {
	t.Parallel()
	name := "rego only"
	cfg := &configpb.Config{Routes: []*configpb.Route{{From: "https://a.example.com", Policies: []*configpb.Policy{{Name: &name, Rego: []string{"package pomerium.policy"}}}}}}
	if _, err := Export(cfg); err == nil || !strings.Contains(err.Error(), `policy "rego only" has no PPL source`) {
		t.Errorf("Export = %v", err)
	}
}

func TestDurations(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, rest, err string }{
		{"30s", "30s", ""}, {"90s", "1m30s", ""}, {"1h0m0s", "1h", ""}, {"1.5s", "1s500ms", ""}, {"0s", "0s", ""},
		{"300ms", "300ms", ""}, {"1us", "", "finer than a millisecond"}, {"-1s", "", "negative"}, {"soon", "", "must be a duration"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := restDuration(tc.in)
			if got != tc.rest || (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("restDuration(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.rest, tc.err)
			}
		})
	}
}

func TestParseZipProblems(t *testing.T) {
	t.Parallel()
	noYAML, err := (Bundle{YAML: nil, Files: map[string][]byte{"certs/a.pem": []byte("x")}}).Zip()
	if err != nil {
		t.Fatal(err)
	}
	// Zip always writes config.yaml; rename it away to get an archive without one.
	noYAML = bytes.Replace(noYAML, []byte("config.yaml"), []byte("config.txt\x00"), -1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("PK\x03\x04 broken"), "a.zip: is not a readable zip"},
		{"no YAML at its top", noYAML, "a.zip: holds no config.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := ParseZip("a.zip", tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseZip = %v, want %q", err, tc.want)
			}
		})
	}
}
