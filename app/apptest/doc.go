// Package apptest holds what the app packages' tests share: a namespace
// tree to seed, the fixture clock, administrator and seal key, callers
// resolved with chosen roles, checks that a call was refused with the
// right app error, a recording stand-in for the "what uses this" hooks,
// activity-log helpers and a self-signed certificate. Only tests import it.
package apptest
