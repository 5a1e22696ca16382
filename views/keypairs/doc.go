// Package keypairs renders the certificates section: the key pair list
// with expiry flags, a key pair's page (facts, chain, PEM, users), the
// upload and edit form and the form that generates a certificate.
package keypairs
