package policies

import "github.com/pomerium-console-oss/pomerium-console/db"

// Bound returns the service with every read and write going through tx, so
// that a policy change and the route changes it needs (detaching it before
// a delete) are kept or dropped together.
func (s *Service) Bound(tx db.Store) *Service {
	bound := *s
	bound.store = tx
	return &bound
}
