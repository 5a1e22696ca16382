// Package deploy turns the console's model into what runs in Pomerium Core.
//
// Every configuration change bumps the configuration revision; the
// changes of a cluster since its latest deployment form its open
// changeset. Applying it renders the cluster's model into one
// pomerium.config.Config, stores both as an immutable, numbered
// deployment, and pushes the Config to the cluster's databroker as one
// record under a fixed, console-owned id (no write when the databroker
// already holds an equal Config). A failed push marks the deployment
// failed with the reason, keeps the previous one current, and is retried
// with back-off by a job until it succeeds. With autoApplyChangesets on,
// each change is applied right after its transaction commits.
//
// Deployments are never rewritten: re-deploying an older one creates a
// new deployment from its snapshot, and discarding the open changeset
// restores the entities of the cluster's namespaces to the latest
// deployment's snapshot through the domain services, in one transaction,
// and records the discarded changeset as rejected.
package deploy
