// Package serviceaccounts manages service accounts: machine identities of
// a namespace whose tokens both the console (gRPC API) and Pomerium Core
// accept. A token is an HS256 JWT over the shared secret of the cluster
// serving the account's namespace; the user.ServiceAccount record Core
// looks tokens up in is pushed to that cluster's databroker after each
// change, and retried until it lands. The token itself is never stored.
package serviceaccounts
