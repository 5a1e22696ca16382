// Package clusters manages the Pomerium Core installs the console pushes
// configuration to. A cluster has a databroker URL, a shared secret (sealed
// at rest, never shown or logged) and TLS options, and is bound to the
// namespace subtree whose routes it serves. The default cluster covers
// Global; its databroker comes from the config file. Each namespace
// belongs to the cluster bound nearest above it (Coverage).
package clusters
