// Package deployments renders the deployments section: the history of a
// cluster's deployments with the pending-changes bar, the review page that
// applies or discards the open changeset, a deployment's page, and the
// comparison of two deployments (changed entities and a unified or
// side-by-side diff of their config.yaml).
package deployments
