// Package config is the generated Go code of Pomerium Core's
// `pomerium.config` protocol buffer package: Config, Route, Policy, Settings
// and the rest, with Core's names and field numbers. The console renders its
// model into a Config (app/render) and writes it into the databroker as a
// record of type type.googleapis.com/pomerium.config.Config.
package config
