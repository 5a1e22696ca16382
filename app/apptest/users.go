package apptest

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Users stands in for what uses an entity, as the services ask before
// deleting one: Hook names Names, or fails with Err, and records the ids
// it was asked about.
type Users struct {
	Names []string
	Err   error

	mu    sync.Mutex
	asked []string
}

// Hook is the hook to hand a service. It fails without a store: the
// services must ask inside their transaction.
func (u *Users) Hook(_ context.Context, tx db.Store, id string) ([]string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.asked = append(u.asked, id)
	if tx == nil {
		return nil, errors.New("apptest: users asked without a store")
	}
	return u.Names, u.Err
}

// Asked returns the ids Hook was asked about, in order.
func (u *Users) Asked() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.asked)
}
