package grpcapi

import (
	"strings"
	"time"
	"unicode"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// pbTime is t as a message field; the zero time (never set) is absent.
// The store keeps milliseconds, so a time a write returns is cut to them
// too: it then equals what a later read returns.
func pbTime(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t.Truncate(time.Millisecond))
}

// renameFields rewrites the field names of a validation error from the
// domain's (REST, camelCase) names to the request's proto paths: names
// maps the ones that do not follow the rule, and any other becomes
// prefix + its snake_case form ("parentId" → "namespace.parent_id").
// Other errors pass through unchanged.
func renameFields(err error, prefix string, names map[string]string) error {
	rest := restPath(prefix, nil)
	return withFieldPaths(err, func(field string) string {
		if mapped, ok := names[field]; ok {
			return mapped
		}
		return rest(field)
	})
}

// snakeCase turns a camelCase name into snake_case ("databrokerServiceUrl"
// → "databroker_service_url").
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// namespaceFields maps the namespace service's field names onto
// SetNamespaceRequest.
var namespaceFields = map[string]string{"name": "namespace.name", "parentId": "namespace.parent_id"}

// namespaceView is what a Namespace message is built from: the resolved
// caller (counts are shown only to viewers), the counts per namespace and
// which cluster serves each namespace.
type namespaceView struct {
	acc      *rbac.Access
	tree     *nstree.Tree
	counts   map[string]db.NamespaceCounts
	coverage clusters.Coverage
}

// message is the Namespace message of ns.
func (v namespaceView) message(ns db.Namespace) *pb.Namespace {
	m := &pb.Namespace{
		Id: ns.ID, ParentId: ns.ParentID, Name: ns.Name,
		CreatedAt: pbTime(ns.CreatedAt), ModifiedAt: pbTime(ns.ModifiedAt),
	}
	if cl, ok := v.coverage.ClusterOf(ns.ID); ok {
		id := cl.ID
		m.ClusterId = &id
	}
	// A guest only learns that the namespace exists.
	if v.acc.Role(ns.ID) >= rbac.RoleViewer {
		c := v.counts[ns.ID]
		m.RouteCount, m.PolicyCount = int64(c.Routes), int64(c.Policies)
	}
	return m
}
