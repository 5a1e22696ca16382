// Package directory renders the Users page: a look-ahead search over the
// users the console and Pomerium know, with their groups and roles.
package directory
