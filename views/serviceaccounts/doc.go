// Package serviceaccounts renders the Service Accounts page of a namespace:
// the accounts with their status and sync state, the dialog that adds one,
// and the dialog that shows a new account's token once.
package serviceaccounts
