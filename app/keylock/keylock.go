// Package keylock serialises work per key (a cluster, an account) without
// one lock for everything.
package keylock

import "sync"

// Locks holds one mutex per key; the zero value is ready to use. Keys are
// never forgotten: they name a bounded set of things (clusters, accounts).
type Locks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// Lock takes key's mutex and returns its unlock.
func (l *Locks) Lock(key string) func() {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*sync.Mutex{}
	}
	m, ok := l.locks[key]
	if !ok {
		m = &sync.Mutex{}
		l.locks[key] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}
