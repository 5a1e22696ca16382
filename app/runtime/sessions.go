package runtime

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
)

// Session is a Core session with the user and groups it belongs to.
type Session struct {
	// Record is the session.Session as the databroker holds it.
	Record *sessionpb.Session
	User   UserRef
	Groups []Group
	// ModifiedAt is when the databroker last wrote the record.
	ModifiedAt time.Time
}

// ID is the session id.
func (s Session) ID() string { return s.Record.GetId() }

// Issuer is the identity provider that issued the session's ID token.
func (s Session) Issuer() string { return s.Record.GetIdToken().GetIssuer() }

// Session list orders; a leading "-" reverses one.
const (
	OrderIssuedAt   = "issued_at"
	OrderExpiresAt  = "expires_at"
	OrderAccessedAt = "accessed_at"
	OrderUser       = "user"
	// DefaultSessionOrder lists the newest sign-ins first.
	DefaultSessionOrder = "-" + OrderIssuedAt
)

// SessionQuery selects sessions of one cluster.
type SessionQuery struct {
	ClusterID string
	// Query matches, case-insensitively, any text of the session (ids,
	// claims, audience, issuer) or its user's name and e-mail.
	Query  string
	UserID string
	Offset int
	// Limit is the page size: 0 means DefaultLimit, at most MaxLimit.
	Limit int
	// OrderBy is issued_at, expires_at, accessed_at or user, "-" first
	// for descending; empty means DefaultSessionOrder.
	OrderBy string
}

// SessionPage is one page of sessions and how many matched in all.
type SessionPage struct {
	Sessions []Session
	Total    int
}

// ListSessions returns one page of the cluster's sessions, for a viewer of
// its namespace. Core keeps no index on sessions, so every session is read
// and the filter, order and page are applied here.
func (s *Service) ListSessions(ctx context.Context, acc *rbac.Access, q SessionQuery) (SessionPage, error) {
	offset, limit, err := pageBounds(q.Offset, q.Limit)
	if err != nil {
		return SessionPage{}, err
	}
	less, err := sessionOrder(q.OrderBy)
	if err != nil {
		return SessionPage{}, err
	}
	t, err := s.open(ctx, acc, q.ClusterID, rbac.RoleViewer)
	if err != nil {
		return SessionPage{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	all, err := s.sessions(ctx, t)
	if err != nil {
		return SessionPage{}, err
	}
	all = slices.DeleteFunc(all, func(x Session) bool {
		return (q.UserID != "" && x.Record.GetUserId() != q.UserID) || !sessionMatches(x, q.Query)
	})
	slices.SortStableFunc(all, less)
	return SessionPage{Sessions: window(all, offset, limit), Total: len(all)}, nil
}

// sessions reads every session of t with its user and groups.
func (s *Service) sessions(ctx context.Context, t target) ([]Session, error) {
	records, err := loadAll(ctx, t.client, SessionType, "", newSession)
	if err != nil {
		return nil, err
	}
	dir, err := loadDirectory(ctx, t.client)
	if err != nil {
		return nil, err
	}
	out := make([]Session, 0, len(records))
	for _, r := range records {
		out = append(out, enrich(r, dir))
	}
	return out, nil
}

// enrich names the user and groups of one session record.
func enrich(r decoded[*sessionpb.Session], dir directory) Session {
	uid := r.msg.GetUserId()
	return Session{Record: r.msg, User: dir.ref(uid), Groups: dir.groupsOf(uid), ModifiedAt: r.rec.GetModifiedAt().AsTime()}
}

// sessionMatches applies a free-text query the way Core's databroker does,
// plus the user's name and e-mail, which live in another record.
func sessionMatches(x Session, text string) bool {
	if text == "" {
		return true
	}
	lower := strings.ToLower(text)
	return databroker.MatchText(x.Record, text) ||
		strings.Contains(strings.ToLower(x.User.Name), lower) || strings.Contains(strings.ToLower(x.User.Email), lower)
}

// sessionOrder parses an order_by value.
func sessionOrder(orderBy string) (func(a, b Session) int, error) {
	if orderBy == "" {
		orderBy = DefaultSessionOrder
	}
	field, desc := strings.CutPrefix(orderBy, "-")
	var by func(a, b Session) int
	switch field {
	case OrderIssuedAt:
		by = func(a, b Session) int {
			return a.Record.GetIssuedAt().AsTime().Compare(b.Record.GetIssuedAt().AsTime())
		}
	case OrderExpiresAt:
		by = func(a, b Session) int {
			return a.Record.GetExpiresAt().AsTime().Compare(b.Record.GetExpiresAt().AsTime())
		}
	case OrderAccessedAt:
		by = func(a, b Session) int {
			return a.Record.GetAccessedAt().AsTime().Compare(b.Record.GetAccessedAt().AsTime())
		}
	case OrderUser:
		by = func(a, b Session) int {
			return cmp.Compare(strings.ToLower(a.User.DisplayName()), strings.ToLower(b.User.DisplayName()))
		}
	default:
		return nil, errs.Field("order_by", errs.CodeInvalid, "must be issued_at, expires_at, accessed_at or user, with a leading - to reverse (got %q)", orderBy)
	}
	return func(a, b Session) int {
		c := by(a, b)
		if desc {
			c = -c
		}
		// The id breaks ties so that pages never overlap.
		return cmp.Or(c, cmp.Compare(a.ID(), b.ID()))
	}, nil
}

// SessionDetail is one session and the other sessions of the same user.
type SessionDetail struct {
	Session    Session
	Associated []Session
}

// GetSession returns session id and the user's other sessions (newest
// first), for a viewer of the cluster's namespace.
func (s *Service) GetSession(ctx context.Context, acc *rbac.Access, clusterID, id string) (SessionDetail, error) {
	if id == "" {
		return SessionDetail{}, errs.Field("id", errs.CodeRequired, "enter a session id")
	}
	t, err := s.open(ctx, acc, clusterID, rbac.RoleViewer)
	if err != nil {
		return SessionDetail{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	all, err := s.sessions(ctx, t)
	if err != nil {
		return SessionDetail{}, err
	}
	i := slices.IndexFunc(all, func(x Session) bool { return x.ID() == id })
	if i < 0 {
		return SessionDetail{}, errs.NotFound("session %s does not exist in cluster %q", id, t.cluster.Name)
	}
	d := SessionDetail{Session: all[i]}
	for _, x := range all {
		if x.ID() != id && x.Record.GetUserId() != "" && x.Record.GetUserId() == d.Session.Record.GetUserId() {
			d.Associated = append(d.Associated, x)
		}
	}
	less, _ := sessionOrder(DefaultSessionOrder)
	slices.SortFunc(d.Associated, less)
	return d, nil
}
