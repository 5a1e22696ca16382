// Package clusters renders the clusters section: the list of Pomerium Core
// installs with their push state, a cluster's page, and the form that adds
// or edits one. PushVM is shared with the deployments pages.
package clusters
