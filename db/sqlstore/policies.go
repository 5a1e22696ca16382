package sqlstore

import (
	"context"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const policyColumns = `id, namespace_id, name, description, explanation, remediation, enforced, ppl, rego,
	created_at, modified_at`

// scanPolicy reads one row of policyColumns.
func scanPolicy(row scanner) (db.Policy, error) {
	var (
		p                 db.Policy
		created, modified int64
	)
	err := row.Scan(&p.ID, &p.NamespaceID, &p.Name, &p.Description, &p.Explanation, &p.Remediation,
		&p.Enforced, &p.PPL, &p.Rego, &created, &modified)
	if err != nil {
		return db.Policy{}, err
	}
	p.CreatedAt = fromMillis(created)
	p.ModifiedAt = fromMillis(modified)
	return p, nil
}

// ListPolicies returns one page of matching policies ordered by name and the
// number of all matching ones.
func (s *Store) ListPolicies(ctx context.Context, f db.PolicyFilter) ([]db.Policy, int, error) {
	if f.NamespaceIDs != nil && len(f.NamespaceIDs) == 0 {
		return nil, 0, nil
	}
	var (
		a     args
		where []string
	)
	if len(f.NamespaceIDs) > 0 {
		where = append(where, `namespace_id IN (`+a.addAll(f.NamespaceIDs)+`)`)
	}
	if f.Query != "" {
		pattern := a.add(containsPattern(f.Query))
		where = append(where, `(`+s.matches("name", pattern)+` OR `+s.matches("description", pattern)+`)`)
	}
	if f.Enforced != nil {
		where = append(where, `enforced = `+a.add(*f.Enforced))
	}
	return listPage(ctx, s, page{
		what: "policies", table: "policies", columns: policyColumns, where: where, args: a,
		order: `lower(name), name, id`, limit: f.Limit, offset: f.Offset,
	}, scanPolicy)
}

// GetPolicy returns one policy or db.ErrNotFound.
func (s *Store) GetPolicy(ctx context.Context, id string) (db.Policy, error) {
	const q = `SELECT ` + policyColumns + ` FROM policies WHERE id = $1`
	p, err := scanPolicy(s.reader().QueryRowContext(ctx, q, id))
	return p, s.fail("get policy", err)
}

// PolicyNames returns id → name of the policies of one namespace.
func (s *Store) PolicyNames(ctx context.Context, namespaceID string) (map[string]string, error) {
	type named struct{ id, name string }
	list, err := queryAll(ctx, s.reader(), func(row scanner) (named, error) {
		var n named
		err := row.Scan(&n.id, &n.name)
		return n, err
	}, `SELECT id, name FROM policies WHERE namespace_id = $1`, namespaceID)
	if err != nil {
		return nil, s.fail("policy names", err)
	}
	out := make(map[string]string, len(list))
	for _, n := range list {
		out[n.id] = n.name
	}
	return out, nil
}

// CreatePolicy inserts p; db.ErrConflict for a taken id or name in the
// namespace, db.ErrNotFound when the namespace does not exist.
func (s *Store) CreatePolicy(ctx context.Context, p db.Policy) error {
	const q = `INSERT INTO policies (` + policyColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	_, err := s.writer().ExecContext(ctx, q, p.ID, p.NamespaceID, p.Name, p.Description, p.Explanation,
		p.Remediation, p.Enforced, p.PPL, p.Rego, millis(p.CreatedAt), millis(p.ModifiedAt))
	return s.fail("create policy", err)
}

// UpdatePolicy writes everything but id, namespace and creation time.
func (s *Store) UpdatePolicy(ctx context.Context, p db.Policy) error {
	const q = `UPDATE policies SET name = $2, description = $3, explanation = $4, remediation = $5,
		enforced = $6, ppl = $7, rego = $8, modified_at = $9 WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, p.ID, p.Name, p.Description, p.Explanation, p.Remediation,
		p.Enforced, p.PPL, p.Rego, millis(p.ModifiedAt))
	return s.mustAffect("update policy", res, err, db.ErrNotFound)
}

// DeletePolicy removes one policy; db.ErrNotFound when there is none.
func (s *Store) DeletePolicy(ctx context.Context, id string) error {
	const q = `DELETE FROM policies WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, id)
	return s.mustAffect("delete policy", res, err, db.ErrReferenced)
}
