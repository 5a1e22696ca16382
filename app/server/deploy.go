package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// domain is the services that change pushed configuration, built over the
// watched store so that auto-apply sees their changes.
type domain struct {
	policies *policies.Service
	routes   *routes.Service
	keyPairs *keypairs.Service
	settings *settings.Service
}

func newDomain(store db.Store, sealer *seal.Sealer, now func() time.Time) domain {
	pols := policies.NewService(store, now, policies.CompilePPL, routes.PolicyUsers)
	return domain{
		policies: pols,
		routes:   routes.NewService(store, sealer, now, pols),
		keyPairs: keypairs.NewService(store, sealer, now, settings.KeyPairUsers, routes.KeyPairUsers),
		settings: settings.NewService(store, sealer, now),
	}
}

// newDeploy builds the clusters and deploy services; the domain services
// get the returned watched store so that auto-apply sees their changes.
func newDeploy(store db.Store, sealer *seal.Sealer, now func() time.Time, logger *slog.Logger) (*clusters.Service, *deploy.Service, db.Store) {
	cl := clusters.NewService(store, sealer, now)
	dep := deploy.New(deploy.Options{
		Store: store, Sealer: sealer, Clusters: cl, Now: now, Logger: logger, Backoff: databroker.DefaultBackoff,
		Export: configyaml.Export, RedactionKey: sealer.Derive("deployment diff redaction", 32),
	})
	cl.WithHooks(dep.Withdraw, dep.ClusterChanged)
	return cl, dep, dep.Watch(store)
}

// defaultClusterTimeout bounds the start-up write of the default cluster.
const defaultClusterTimeout = 30 * time.Second

// ensureDefaultCluster points the default cluster at the databroker the
// config file names (databroker_service_url, shared_secret, tls_ca_file).
func ensureDefaultCluster(cl *clusters.Service, cfg *config.Config, logger *slog.Logger) error {
	d := clusters.Defaults{DatabrokerURL: cfg.DatabrokerServiceURL, SharedSecret: cfg.SharedSecret}
	if cfg.TLSCAFile != "" {
		pem, err := os.ReadFile(cfg.TLSCAFile)
		if err != nil {
			return fmt.Errorf("tls_ca_file: %w", err)
		}
		d.CAPEM = string(pem)
	}
	ctx, cancel := context.WithTimeout(context.Background(), defaultClusterTimeout)
	defer cancel()
	changed, err := cl.EnsureDefault(ctx, d)
	if err != nil {
		return err
	}
	if changed {
		logger.Info("default cluster set from the config file", "databroker_service_url", d.DatabrokerURL,
			"shared_secret_set", d.SharedSecret != "", "tls_ca_file", cfg.TLSCAFile)
	}
	return nil
}
