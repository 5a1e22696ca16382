package runtime

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// RevokeInput names the session to revoke.
type RevokeInput struct {
	ClusterID string
	ID        string
	// BlockUser also revokes every other session of the session's user and
	// adds the user to the enforced "Blocked users" policy of the
	// cluster's namespace, which takes effect with the next deployment.
	BlockUser bool
}

// RevokeResult says what a revocation did.
type RevokeResult struct {
	// Revoked lists the ids of the sessions removed.
	Revoked []string
	// BlockedPolicyID is the "Blocked users" policy the user was added to
	// (only with BlockUser).
	BlockedPolicyID string
}

// sessionSnapshot is a session as the activity log stores it: no tokens.
type sessionSnapshot struct {
	ID        string     `json:"id"`
	UserID    string     `json:"userId"`
	UserName  string     `json:"userName,omitempty"`
	UserEmail string     `json:"userEmail,omitempty"`
	IssuedAt  *time.Time `json:"issuedAt,omitempty"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
	// ImpersonateSessionID is set while the session impersonates another.
	ImpersonateSessionID string `json:"impersonateSessionId,omitempty"`
}

func snapshotOf(x Session) sessionSnapshot {
	snap := sessionSnapshot{
		ID: x.ID(), UserID: x.Record.GetUserId(), UserName: x.User.Name, UserEmail: x.User.Email,
		ImpersonateSessionID: x.Record.GetImpersonateSessionId(),
	}
	if ts := x.Record.GetIssuedAt(); ts != nil {
		t := ts.AsTime()
		snap.IssuedAt = &t
	}
	if ts := x.Record.GetExpiresAt(); ts != nil {
		t := ts.AsTime()
		snap.ExpiresAt = &t
	}
	return snap
}

// RevokeSession ends a session the way Core's sign-out does: the record is
// put back with deleted_at and its payload kept, so Core's identity manager
// and SSH stream manager see whose session ended. It needs the admin role
// on the cluster's namespace.
func (s *Service) RevokeSession(ctx context.Context, acc *rbac.Access, in RevokeInput) (RevokeResult, error) {
	if in.ID == "" {
		return RevokeResult{}, errs.Field("id", errs.CodeRequired, "enter the id of the session to revoke")
	}
	t, err := s.open(ctx, acc, in.ClusterID, rbac.RoleAdmin)
	if err != nil {
		return RevokeResult{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	all, err := s.sessions(ctx, t)
	if err != nil {
		return RevokeResult{}, err
	}
	i := slices.IndexFunc(all, func(x Session) bool { return x.ID() == in.ID })
	if i < 0 {
		return RevokeResult{}, errs.NotFound("session %s does not exist in cluster %q", in.ID, t.cluster.Name)
	}
	victim := all[i]
	revoke := []Session{victim}
	var res RevokeResult
	if in.BlockUser {
		if victim.Record.GetUserId() == "" {
			return RevokeResult{}, errs.Field("block_user", errs.CodeInvalid, "session %s has no user to block", in.ID)
		}
		if victim.Record.GetUserId() == acc.Principal.UserID {
			return RevokeResult{}, errs.Field("block_user", errs.CodeInvalid, "you cannot block yourself")
		}
		for _, x := range all {
			if x.ID() != in.ID && x.Record.GetUserId() == victim.Record.GetUserId() {
				revoke = append(revoke, x)
			}
		}
		// The policy comes first: if it cannot be written, no session is
		// revoked and the admin can retry the whole thing.
		if res.BlockedPolicyID, err = s.blockUser(ctx, acc, t.cluster, victim.User); err != nil {
			return RevokeResult{}, err
		}
	}
	for _, x := range revoke {
		if err := s.tombstoneSession(ctx, acc, t, x); err != nil {
			return res, err
		}
		res.Revoked = append(res.Revoked, x.ID())
	}
	return res, nil
}

// tombstoneSession deletes one session record and logs it.
func (s *Service) tombstoneSession(ctx context.Context, acc *rbac.Access, t target, x Session) error {
	if _, err := t.client.Tombstone(ctx, SessionType, x.ID()); err != nil {
		if errors.Is(err, databroker.ErrNotFound) {
			return nil // gone meanwhile: Core (or another admin) ended it first
		}
		return brokerError("revoke session", err)
	}
	before := snapshotOf(x)
	return s.logChange(ctx, acc, t.cluster, activity.Change{
		Type: db.ActivityDelete, EntityType: activity.EntitySession, EntityID: x.ID(), EntityName: x.User.DisplayName(), Before: before,
	})
}

// ImpersonationTarget is a session an admin may impersonate.
type ImpersonationTarget struct {
	ID              string
	UserDisplayName string
	UserEmail       string
}

// ListSessionsForImpersonation lists the sessions an admin of the
// cluster's namespace may impersonate, filtered by query, newest first.
func (s *Service) ListSessionsForImpersonation(ctx context.Context, acc *rbac.Access, clusterID, query string) ([]ImpersonationTarget, error) {
	t, err := s.open(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	all, err := s.sessions(ctx, t)
	if err != nil {
		return nil, err
	}
	less, _ := sessionOrder(DefaultSessionOrder)
	slices.SortFunc(all, less)
	out := []ImpersonationTarget{}
	for _, x := range all {
		if x.ID() == acc.Principal.SessionID || !sessionMatches(x, query) {
			continue
		}
		out = append(out, ImpersonationTarget{ID: x.ID(), UserDisplayName: x.User.DisplayName(), UserEmail: x.User.Email})
	}
	return out, nil
}

// Impersonate makes the caller's own Pomerium session (the sid of their
// assertion) act as session targetID: a Patch of impersonate_session_id
// only, so Core's own writes to the session (access times, token refresh)
// neither lose nor undo it. An empty targetID stops impersonating; that
// needs no role, since while impersonating the caller has the target's.
func (s *Service) Impersonate(ctx context.Context, acc *rbac.Access, clusterID, targetID string) error {
	own := acc.Principal.SessionID
	if own == "" {
		return errs.Unavailable("impersonation changes your own Pomerium session, and this sign-in has none: sign in to the console through Pomerium")
	}
	role := rbac.RoleAdmin
	if targetID == "" {
		role = rbac.RoleNone
	}
	t, err := s.open(ctx, acc, clusterID, role)
	if err != nil {
		return err
	}
	if targetID == own {
		return errs.Field("session_id", errs.CodeInvalid, "that is your own session")
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	mine, ok, err := getOne(ctx, t.client, SessionType, own, newSession)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Unavailable("your Pomerium session %s is not in the databroker of cluster %q: impersonation works only in the cluster you signed in through", own, t.cluster.Name)
	}
	if targetID != "" {
		if _, ok, err := getOne(ctx, t.client, SessionType, targetID, newSession); err != nil {
			return err
		} else if !ok {
			return errs.Field("session_id", errs.CodeNotFound, "session %s does not exist in cluster %q", targetID, t.cluster.Name)
		}
	}
	patch := &sessionpb.Session{}
	if targetID != "" {
		patch.ImpersonateSessionId = &targetID
	}
	if _, err := t.client.PatchMessage(ctx, own, patch, "impersonate_session_id"); err != nil {
		return brokerError("impersonate", err)
	}
	return s.logChange(ctx, acc, t.cluster, activity.Change{
		Type: db.ActivityUpdate, EntityType: activity.EntitySession, EntityID: own, EntityName: acc.Principal.DisplayName(),
		Before: impersonation{mine.msg.GetImpersonateSessionId()}, After: impersonation{targetID},
	})
}

// impersonation is the part of a session the activity log shows for an
// impersonation change.
type impersonation struct {
	ImpersonateSessionID string `json:"impersonateSessionId"`
}
