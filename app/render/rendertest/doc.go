// Package rendertest holds the rich example the rendering and config.yaml
// tests share: every kind of route field, policy, key pair and setting,
// stored through the console's own services.
package rendertest
