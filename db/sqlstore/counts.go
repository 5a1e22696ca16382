package sqlstore

import (
	"context"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// CountByNamespace counts routes and policies per namespace with one
// grouped query each, so a list of every namespace costs two queries.
func (s *Store) CountByNamespace(ctx context.Context) (map[string]db.NamespaceCounts, error) {
	type count struct {
		namespaceID string
		n           int
	}
	scan := func(row scanner) (count, error) {
		var c count
		err := row.Scan(&c.namespaceID, &c.n)
		return c, err
	}
	routes, err := queryAll(ctx, s.reader(), scan, `SELECT namespace_id, COUNT(*) FROM routes GROUP BY namespace_id`)
	if err != nil {
		return nil, s.fail("count routes", err)
	}
	policies, err := queryAll(ctx, s.reader(), scan, `SELECT namespace_id, COUNT(*) FROM policies GROUP BY namespace_id`)
	if err != nil {
		return nil, s.fail("count policies", err)
	}
	out := make(map[string]db.NamespaceCounts, len(routes)+len(policies))
	for _, c := range routes {
		nc := out[c.namespaceID]
		nc.Routes = c.n
		out[c.namespaceID] = nc
	}
	for _, c := range policies {
		nc := out[c.namespaceID]
		nc.Policies = c.n
		out[c.namespaceID] = nc
	}
	return out, nil
}
