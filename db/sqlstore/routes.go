package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const routeColumns = `id, namespace_id, name, name_key, from_url, to_urls, prefix, path, regex, match_key,
	tls_custom_ca_key_pair_id, tls_client_key_pair_id, tls_downstream_client_ca_key_pair_id, spec,
	created_at, modified_at`

// routeOrders are the ORDER BY clauses of the db.RouteSort* orders; each
// has an index that yields it.
var routeOrders = map[string][2]string{
	db.RouteSortName:     {`name_key, name, id`, `name_key DESC, name DESC, id DESC`},
	db.RouteSortFrom:     {`from_url, id`, `from_url DESC, id DESC`},
	db.RouteSortModified: {`modified_at, id`, `modified_at DESC, id DESC`},
}

// scanRoute reads one row of routeColumns; PolicyIDs are filled separately.
func scanRoute(row scanner) (db.Route, error) {
	var (
		r                 db.Route
		nameKey, to, spec string
		ca, client, dsCA  sql.NullString
		created, modified int64
	)
	err := row.Scan(&r.ID, &r.NamespaceID, &r.Name, &nameKey, &r.From, &to, &r.Prefix, &r.Path, &r.Regex,
		&r.MatchKey, &ca, &client, &dsCA, &spec, &created, &modified)
	if err != nil {
		return db.Route{}, err
	}
	if err := json.Unmarshal([]byte(to), &r.To); err != nil {
		return db.Route{}, err
	}
	if err := json.Unmarshal([]byte(spec), &r.Spec); err != nil {
		return db.Route{}, err
	}
	r.TLSCustomCAKeyPairID, r.TLSClientKeyPairID, r.TLSDownstreamClientCAKeyPairID = ca.String, client.String, dsCA.String
	r.CreatedAt, r.ModifiedAt = fromMillis(created), fromMillis(modified)
	return r, nil
}

// routeArgs are the values of routeColumns for r.
func routeArgs(r db.Route) ([]any, error) {
	to, err := jsonText(r.To)
	if err != nil {
		return nil, err
	}
	spec, err := jsonText(r.Spec)
	if err != nil {
		return nil, err
	}
	return []any{r.ID, r.NamespaceID, r.Name, nameKey(r.Name), r.From, to, r.Prefix, r.Path, r.Regex, r.MatchKey,
		nullable(r.TLSCustomCAKeyPairID), nullable(r.TLSClientKeyPairID), nullable(r.TLSDownstreamClientCAKeyPairID),
		spec, millis(r.CreatedAt), millis(r.ModifiedAt)}, nil
}

// jsonText marshals v without HTML escaping, so that a search for "&" finds
// a URL holding one; a nil slice is stored as [].
func jsonText(v any) (string, error) {
	if l, ok := v.([]string); ok && l == nil {
		v = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// nameKey is the case-folded name that uniqueness and ordering use; folding
// in Go keeps SQLite (ASCII-only lower) and Postgres in agreement.
func nameKey(name string) string {
	return strings.ToLower(name)
}

// ListRoutes returns one page of matching routes in the filter's order and
// the number of all matching ones.
func (s *Store) ListRoutes(ctx context.Context, f db.RouteFilter) ([]db.Route, int, error) {
	if f.NamespaceIDs != nil && len(f.NamespaceIDs) == 0 {
		return nil, 0, nil
	}
	count, list, a := s.routeQueries(f)
	var total int
	if err := s.reader().QueryRowContext(ctx, count, a[:len(a)-2]...).Scan(&total); err != nil {
		return nil, 0, s.fail("count routes", err)
	}
	if total == 0 || max(f.Offset, 0) >= total {
		return nil, total, nil
	}
	routes, err := queryAll(ctx, s.reader(), scanRoute, list, a...)
	if err != nil {
		return nil, 0, s.fail("list routes", err)
	}
	if err := s.fillPolicyIDs(ctx, routes); err != nil {
		return nil, 0, s.fail("list route policies", err)
	}
	return routes, total, nil
}

// routeQueries builds the count and page queries of f; the page query
// takes two arguments more than the count query (limit and offset).
func (s *Store) routeQueries(f db.RouteFilter) (count, list string, a args) {
	var where []string
	if len(f.NamespaceIDs) > 0 {
		where = append(where, `namespace_id IN (`+a.addAll(f.NamespaceIDs)+`)`)
	}
	if f.Query != "" {
		p := a.add(containsPattern(f.Query))
		where = append(where, `(`+s.matches("name", p)+` OR `+s.matches("from_url", p)+` OR `+s.matches("to_urls", p)+`)`)
	}
	if f.Name != "" {
		where = append(where, `name_key = `+a.add(nameKey(f.Name)))
	}
	if f.PolicyID != "" {
		where = append(where, `id IN (SELECT route_id FROM route_policies WHERE policy_id = `+a.add(f.PolicyID)+`)`)
	}
	if f.KeyPairID != "" {
		p := a.add(f.KeyPairID)
		where = append(where, `(tls_custom_ca_key_pair_id = `+p+` OR tls_client_key_pair_id = `+p+
			` OR tls_downstream_client_ca_key_pair_id = `+p+`)`)
	}
	if f.MatchKey != "" {
		where = append(where, `match_key = `+a.add(f.MatchKey))
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}
	order, ok := routeOrders[f.Sort]
	if !ok {
		order = routeOrders[db.RouteSortName]
	}
	dir := 0
	if f.Desc {
		dir = 1
	}
	count = `SELECT COUNT(*) FROM routes` + cond
	list = `SELECT ` + routeColumns + ` FROM routes` + cond + ` ORDER BY ` + order[dir] +
		` LIMIT ` + a.add(clampLimit(f.Limit)) + ` OFFSET ` + a.add(max(f.Offset, 0))
	return count, list, a
}

// fillPolicyIDs loads the attached policies of every route in list with
// one query.
func (s *Store) fillPolicyIDs(ctx context.Context, list []db.Route) error {
	if len(list) == 0 {
		return nil
	}
	var a args
	index := make(map[string]int, len(list))
	ids := make([]string, len(list))
	for i, r := range list {
		index[r.ID], ids[i] = i, r.ID
	}
	q := `SELECT route_id, policy_id FROM route_policies WHERE route_id IN (` + a.addAll(ids) + `) ORDER BY route_id, position`
	rows, err := s.reader().QueryContext(ctx, q, a...)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var routeID, policyID string
		if err := rows.Scan(&routeID, &policyID); err != nil {
			return err
		}
		r := &list[index[routeID]]
		r.PolicyIDs = append(r.PolicyIDs, policyID)
	}
	return rows.Err()
}

// GetRoute returns one route or db.ErrNotFound.
func (s *Store) GetRoute(ctx context.Context, id string) (db.Route, error) {
	const q = `SELECT ` + routeColumns + ` FROM routes WHERE id = $1`
	r, err := scanRoute(s.reader().QueryRowContext(ctx, q, id))
	if err != nil {
		return db.Route{}, s.fail("get route", err)
	}
	list := []db.Route{r}
	if err := s.fillPolicyIDs(ctx, list); err != nil {
		return db.Route{}, s.fail("get route policies", err)
	}
	return list[0], nil
}

// CreateRoute inserts r and its policy attachments in one transaction.
func (s *Store) CreateRoute(ctx context.Context, r db.Route) error {
	const q = `INSERT INTO routes (` + routeColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16)`
	vals, err := routeArgs(r)
	if err != nil {
		return s.fail("create route", err)
	}
	return s.InTx(ctx, func(tx db.Store) error {
		ts := tx.(*Store)
		if _, err := ts.writer().ExecContext(ctx, q, vals...); err != nil {
			return s.fail("create route", err)
		}
		return ts.attachPolicies(ctx, r)
	})
}

// routeSet is what UpdateRoute and MoveRoute write.
const routeSet = `name = $3, name_key = $4, from_url = $5, to_urls = $6, prefix = $7, path = $8,
		regex = $9, match_key = $10, tls_custom_ca_key_pair_id = $11, tls_client_key_pair_id = $12,
		tls_downstream_client_ca_key_pair_id = $13, spec = $14, modified_at = $15`

// UpdateRoute rewrites everything but id, namespace and creation time, and
// replaces the policy attachments.
func (s *Store) UpdateRoute(ctx context.Context, r db.Route) error {
	return s.rewriteRoute(ctx, "update route", `UPDATE routes SET `+routeSet+` WHERE id = $1 AND namespace_id = $2`, r)
}

// MoveRoute is UpdateRoute writing the namespace too; the unique
// (namespace, name) index refuses a name the target already has.
func (s *Store) MoveRoute(ctx context.Context, r db.Route) error {
	return s.rewriteRoute(ctx, "move route", `UPDATE routes SET namespace_id = $2, `+routeSet+` WHERE id = $1`, r)
}

// rewriteRoute runs one of the two updates and replaces the attachments.
func (s *Store) rewriteRoute(ctx context.Context, op, q string, r db.Route) error {
	vals, err := routeArgs(r)
	if err != nil {
		return s.fail(op, err)
	}
	vals = append(vals[:14], vals[15]) // created_at stays as it is
	return s.InTx(ctx, func(tx db.Store) error {
		ts := tx.(*Store)
		res, err := ts.writer().ExecContext(ctx, q, vals...)
		if err := s.mustAffect(op, res, err, db.ErrNotFound); err != nil {
			return err
		}
		if _, err := ts.writer().ExecContext(ctx, `DELETE FROM route_policies WHERE route_id = $1`, r.ID); err != nil {
			return s.fail("update route policies", err)
		}
		return ts.attachPolicies(ctx, r)
	})
}

// attachPolicies inserts r's policy attachments in order.
func (s *Store) attachPolicies(ctx context.Context, r db.Route) error {
	const q = `INSERT INTO route_policies (route_id, policy_id, position) VALUES ($1, $2, $3)`
	for i, id := range r.PolicyIDs {
		if _, err := s.writer().ExecContext(ctx, q, r.ID, id, i); err != nil {
			return s.fail("attach policy to route", err)
		}
	}
	return nil
}

// DeleteRoute removes one route and its attachments; db.ErrNotFound when
// there is none.
func (s *Store) DeleteRoute(ctx context.Context, id string) error {
	res, err := s.writer().ExecContext(ctx, `DELETE FROM routes WHERE id = $1`, id)
	return s.mustAffect("delete route", res, err, db.ErrReferenced)
}
