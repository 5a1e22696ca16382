// Package sessions renders the Sessions page: who is signed in through
// Pomerium in a cluster, with search, sorting, paging, revocation and
// impersonation.
package sessions
