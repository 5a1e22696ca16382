// Package keypairs manages key pairs: PEM certificate chains with, when
// they serve TLS, their private keys. Uploads are parsed and checked (the
// chain's order, the key against the certificate, encrypted keys) and
// certificates can be generated; private keys are sealed at rest and never
// leave the package in clear except through OpenKey. It also answers which
// key pairs can serve a host (getRouteCertificates) and which expire soon.
package keypairs
