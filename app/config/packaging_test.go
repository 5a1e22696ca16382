package config_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
)

// The config file the packages install must load and validate as it is.
func TestPackagedConfigLoads(t *testing.T) {
	cfg, err := config.Load("../../packaging/config.yaml", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("packaging/config.yaml: %v", err)
	}
	if cfg.DataDir != "/var/lib/pomerium-console" {
		t.Errorf("data_dir = %q", cfg.DataDir)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("validate: %v", err)
	}
}
