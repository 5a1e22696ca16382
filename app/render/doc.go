// Package render turns the console's stored model of one cluster into the
// one pomerium.config.Config message Pomerium Core reads from its
// databroker: settings with only the keys an admin set, routes in the
// ingress controller's deterministic order with stable ids and stat names,
// each route's effective policies as compiled Rego (plus their PPL source),
// and the certificates that serve the routes' hosts.
//
// Load reads the Model of a cluster's namespace subtree from the store;
// the Model is plain JSON-serialisable data that keeps every secret sealed,
// so a deployment can store it as its snapshot. Render is a pure function
// of a Model: it opens the sealed secrets it needs through an Opener and
// returns the same Config, byte for byte under deterministic marshalling,
// for the same Model.
package render
