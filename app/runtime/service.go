package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Brokers hands out the databroker client of a cluster; deploy.Service
// keeps one per cluster. A cluster without a databroker URL is an error
// matching errs.ErrUnavailable.
type Brokers interface {
	Databroker(ctx context.Context, c db.Cluster) (*databroker.Client, error)
}

// Options are the dependencies of a Service.
type Options struct {
	Store   db.Store
	Brokers Brokers
	// Secret opens a cluster's shared secret (clusters.Service.OpenSecret),
	// the key of enrollment tokens and signed WebAuthn URLs.
	Secret func(db.Cluster) (string, error)
	// Policies keeps the "Blocked users" policy that revoking with
	// block_user adds to.
	Policies *policies.Service
	// Authorizer resolves the namespace roles of users other than the caller.
	Authorizer *rbac.Authorizer
	Now        func() time.Time
	// Timeout bounds the databroker calls of one method; 0 means 10s.
	Timeout time.Duration
}

// Service is the runtime-state domain.
type Service struct {
	store      db.Store
	brokers    Brokers
	secret     func(db.Cluster) (string, error)
	policies   *policies.Service
	authorizer *rbac.Authorizer
	now        func() time.Time
	timeout    time.Duration
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	return &Service{
		store: o.Store, brokers: o.Brokers, secret: o.Secret, policies: o.Policies,
		authorizer: o.Authorizer, now: o.Now, timeout: o.Timeout,
	}
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// target is a cluster resolved for one call, with its databroker.
type target struct {
	cluster db.Cluster
	client  *databroker.Client
}

// cluster resolves clusterID ("" for the cluster serving Global).
func (s *Service) cluster(ctx context.Context, acc *rbac.Access, clusterID string) (db.Cluster, clusters.Coverage, error) {
	list, err := s.store.ListClusters(ctx)
	if err != nil {
		return db.Cluster{}, clusters.Coverage{}, fmt.Errorf("runtime: clusters: %w", err)
	}
	cov := clusters.NewCoverage(acc.Tree(), list)
	if clusterID == "" {
		c, ok := cov.ClusterOf(db.GlobalNamespaceID)
		if !ok {
			return db.Cluster{}, cov, errs.Unavailable("no cluster serves the Global namespace")
		}
		return c, cov, nil
	}
	c, ok := cov.Cluster(clusterID)
	if !ok {
		return db.Cluster{}, cov, errs.NotFound("cluster %q does not exist", clusterID)
	}
	return c, cov, nil
}

// open resolves the cluster, checks the caller holds role on its namespace
// and returns its databroker.
func (s *Service) open(ctx context.Context, acc *rbac.Access, clusterID string, role rbac.Role) (target, error) {
	c, _, err := s.cluster(ctx, acc, clusterID)
	if err != nil {
		return target{}, err
	}
	if err := acc.Require(c.NamespaceID, role); err != nil {
		return target{}, err
	}
	return s.connect(ctx, c)
}

// openShared resolves the cluster for data that belongs to no namespace
// (the user directory): any role of at least viewer on a namespace the
// cluster serves will do, so an admin of a child namespace can look users up.
func (s *Service) openShared(ctx context.Context, acc *rbac.Access, clusterID string) (target, error) {
	c, cov, err := s.cluster(ctx, acc, clusterID)
	if err != nil {
		return target{}, err
	}
	allowed := false
	for _, id := range cov.Namespaces(c.ID) {
		if acc.Role(id) >= rbac.RoleViewer {
			allowed = true
			break
		}
	}
	if !allowed {
		if err := acc.Require(c.NamespaceID, rbac.RoleViewer); err != nil {
			return target{}, err
		}
	}
	return s.connect(ctx, c)
}

// connect returns the databroker client of c.
func (s *Service) connect(ctx context.Context, c db.Cluster) (target, error) {
	if c.DatabrokerURL != "" && !clusters.HasSecret(c) {
		return target{}, errs.Unavailable("cluster %q has no shared secret: set it on the cluster's page to reach its databroker", c.Name)
	}
	client, err := s.brokers.Databroker(ctx, c)
	if err != nil {
		return target{}, err
	}
	return target{cluster: c, client: client}, nil
}

// call bounds one method's databroker calls.
func (s *Service) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// brokerError turns a failed databroker call into what the caller should
// see: an unreachable or misconfigured databroker is "unavailable" with
// the databroker's own explanation; anything else stays an internal error.
func brokerError(op string, err error) error {
	var e *databroker.Error
	if errors.As(err, &e) {
		switch e.Code {
		case codes.Unavailable, codes.DeadlineExceeded, codes.Unauthenticated, codes.Unimplemented, codes.Canceled:
			return errs.Unavailable("%s: %s", op, e.Message)
		}
	}
	return fmt.Errorf("runtime: %s: %w", op, err)
}

// logChange writes the activity entry of a change in cluster c's runtime
// state; the namespace is the cluster's.
func (s *Service) logChange(ctx context.Context, acc *rbac.Access, c db.Cluster, change activity.Change) error {
	ns, _ := acc.Tree().Get(c.NamespaceID)
	change.NamespaceID, change.NamespaceName = ns.ID, ns.Name
	return s.store.InTx(ctx, func(tx db.Store) error {
		return activity.Record(ctx, tx, acc.Principal, s.now(), change)
	})
}

// pageBounds applies the defaults and caps of offset and limit.
func pageBounds(offset, limit int) (int, int, error) {
	var v errs.Validator
	if offset < 0 {
		v.Add("offset", errs.CodeInvalid, "must not be negative")
	}
	if limit < 0 {
		v.Add("limit", errs.CodeInvalid, "must not be negative")
	}
	if limit > MaxLimit {
		v.Add("limit", errs.CodeInvalid, "must be at most %d", MaxLimit)
	}
	if err := v.Err(); err != nil {
		return 0, 0, err
	}
	if limit == 0 {
		limit = DefaultLimit
	}
	return offset, limit, nil
}

// window returns the [offset, offset+limit) slice of list.
func window[T any](list []T, offset, limit int) []T {
	if offset >= len(list) {
		return nil
	}
	return list[offset:min(offset+limit, len(list))]
}
