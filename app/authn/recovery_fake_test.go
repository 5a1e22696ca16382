package authn

import (
	"context"
	"sync"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// fakeStore is an in-memory RecoveryStore that keeps the db contract:
// InsertKeyIfAbsent keeps the first key, MarkRecoveryTokenUsed succeeds once.
type fakeStore struct {
	mu         sync.Mutex
	namespaces map[string]db.Namespace
	keys       map[string]db.SealedKey
	tokens     map[string]db.RecoveryToken
	keyInserts int
	getErr     error
}

func newFakeStore(namespaceIDs ...string) *fakeStore {
	s := &fakeStore{namespaces: map[string]db.Namespace{}, keys: map[string]db.SealedKey{}, tokens: map[string]db.RecoveryToken{}}
	for _, id := range namespaceIDs {
		s.namespaces[id] = db.Namespace{ID: id, Name: id}
	}
	return s
}

func (s *fakeStore) GetNamespace(_ context.Context, id string) (db.Namespace, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ns, ok := s.namespaces[id]
	if !ok {
		return ns, db.ErrNotFound
	}
	return ns, nil
}

func (s *fakeStore) GetKey(_ context.Context, purpose string) (db.SealedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[purpose]
	if !ok {
		return k, db.ErrNotFound
	}
	return k, nil
}

func (s *fakeStore) InsertKeyIfAbsent(_ context.Context, k db.SealedKey) (db.SealedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.keys[k.Purpose]; ok {
		return old, nil
	}
	s.keys[k.Purpose] = k
	s.keyInserts++
	return k, nil
}

func (s *fakeStore) InsertRecoveryToken(_ context.Context, t db.RecoveryToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[t.ID]; ok {
		return db.ErrConflict
	}
	s.tokens[t.ID] = t
	return nil
}

func (s *fakeStore) GetRecoveryToken(_ context.Context, id string) (db.RecoveryToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.getErr != nil {
		return db.RecoveryToken{}, s.getErr
	}
	t, ok := s.tokens[id]
	if !ok {
		return t, db.ErrNotFound
	}
	return t, nil
}

func (s *fakeStore) MarkRecoveryTokenUsed(_ context.Context, id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[id]
	switch {
	case !ok:
		return db.ErrNotFound
	case !t.UsedAt.IsZero():
		return db.ErrConflict
	}
	t.UsedAt = at
	s.tokens[id] = t
	return nil
}

func (s *fakeStore) DeleteExpiredRecoveryTokens(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, t := range s.tokens {
		if t.ExpiresAt.Before(before) {
			delete(s.tokens, id)
			n++
		}
	}
	return n, nil
}

// edit changes a stored token row in place.
func (s *fakeStore) edit(id string, fn func(*db.RecoveryToken)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[id]
	fn(&t)
	s.tokens[id] = t
}
