package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
)

func TestExport(t *testing.T) {
	dir, _, file := importEnv(t)
	if _, _, err := run(t, "import", file, "--namespace", "Global"); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "export")
	if err != nil || !strings.Contains(stdout, "routes:\n  - name: legacy.example.com") || !strings.Contains(stdout, "certificate_key: ") {
		t.Fatalf("export to stdout: %v\n%s", err, stdout)
	}
	out := filepath.Join(dir, "exported", "config.yaml")
	if _, _, err := run(t, "export", "--namespace", "Global", "--out", out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil || string(b) != stdout {
		t.Fatalf("--out wrote something else than stdout: %v", err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the export holds secrets, yet its mode is %v (%v)", fi.Mode(), err)
	}
	// The export imports back as the very routes it came from.
	if _, errOut, err := run(t, "import", out, "--namespace", "Global", "--dry-run"); err == nil || !strings.Contains(errOut, "already answers these requests") {
		t.Errorf("re-import of the export: %v %s", err, errOut)
	}
}

func TestWriteBundleWritesCertificateFilesBesideTheYAML(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out", "config.yaml")
	b := configyaml.Bundle{YAML: []byte("certificates: []\n"), Files: map[string][]byte{"certs/a.pem": []byte("A"), "certs/a.key": []byte("KEY")}}
	if err := writeBundle(path, b); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"config.yaml": "certificates: []\n", "certs/a.pem": "A", "certs/a.key": "KEY"} {
		file := filepath.Join(dir, "out", name)
		got, err := os.ReadFile(file)
		fi, _ := os.Stat(file)
		if err != nil || string(got) != want || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s = %q (%v), mode %v", name, got, err, fi.Mode())
		}
	}
}

func TestExportAndImportHelp(t *testing.T) {
	for _, sub := range []string{"export", "import"} {
		out, _, err := run(t, sub, "--help")
		if err != nil || !strings.Contains(out, "--namespace") || !strings.Contains(out, "--database-url") {
			t.Errorf("help of %s: %v\n%s", sub, err, out)
		}
	}
}
