// Package apptest holds what the app packages' tests share: a namespace
// tree to seed, callers resolved with chosen roles, checks that a call was
// refused with the right app error, activity-log helpers and a self-signed
// certificate. Only tests import it.
package apptest
