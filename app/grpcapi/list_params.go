package grpcapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Page sizes of the List RPCs: a request without a limit gets
// defaultPageSize items; total_count says how many matched.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// page reads the optional offset and limit of a List request.
func page(offset, limit *int64) (int, int, error) {
	var v errs.Validator
	if offset != nil && *offset < 0 {
		v.Add("offset", errs.CodeInvalid, "must be 0 or more (got %d)", *offset)
	}
	n := int64(defaultPageSize)
	if limit != nil {
		n = *limit
	}
	if n < 1 || n > maxPageSize {
		v.Add("limit", errs.CodeInvalid, "must be from 1 to %d (got %d)", maxPageSize, n)
	}
	if err := v.Err(); err != nil {
		return 0, 0, err
	}
	var o int64
	if offset != nil {
		o = *offset
	}
	return int(o), int(n), nil
}

// readPages calls page with growing offsets until it has read total rows
// (or a page comes back empty).
func readPages(page func(offset int) (n, total int, err error)) error {
	for offset := 0; ; {
		n, total, err := page(offset)
		if err != nil {
			return err
		}
		offset += n
		if n == 0 || offset >= total {
			return nil
		}
	}
}

// listNamespace is the namespace a List request looks at: field's value,
// or the namespace of cluster clusterID when field is empty. A namespace
// outside the cluster is refused; the caller's role on it is checked by
// the domain service.
func listNamespace(ctx context.Context, d Deps, acc *rbac.Access, field, nsID string, clusterID *string) (string, error) {
	if clusterID != nil && *clusterID != "" {
		c, err := d.Store.GetCluster(ctx, *clusterID)
		switch {
		case errors.Is(err, db.ErrNotFound):
			return "", errs.NotFound("cluster %q does not exist", *clusterID)
		case err != nil:
			return "", fmt.Errorf("grpcapi: get cluster: %w", err)
		}
		if nsID == "" {
			return c.NamespaceID, nil
		}
		if !acc.Tree().IsWithin(nsID, c.NamespaceID) {
			return "", invalid("cluster_id", "namespace %q is not part of cluster %q", nsID, c.Name)
		}
	}
	if nsID == "" {
		return "", errs.Field(field, errs.CodeRequired, "name the namespace to list (or a cluster_id)")
	}
	return nsID, knownNamespace(acc, field, nsID)
}

// knownNamespace refuses a namespace id that names no namespace as a
// wrong reference in field, before a role check would call it forbidden.
func knownNamespace(acc *rbac.Access, field, nsID string) error {
	if _, ok := acc.Tree().Get(nsID); !ok {
		return errs.Field(field, errs.CodeNotFound, "namespace %s does not exist", nsID)
	}
	return nil
}
