package runtime

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// UserInfo is what the console knows about one user.
type UserInfo struct {
	ID     string
	Name   string
	Email  string
	Groups []string
	// NamespaceRoles maps each namespace id on which the user holds a
	// role (granted there or inherited) to the role's name.
	NamespaceRoles map[string]string
	// IsImpersonated is true when the caller's own session impersonates
	// another: the console then sees the impersonated user.
	IsImpersonated bool
	// Sources says where the user was found: "console" (signed in to the
	// console), "pomerium" (Core's user.User) and "directory".
	Sources []string
}

// User sources.
const (
	SourceConsole   = "console"
	SourcePomerium  = "pomerium"
	SourceDirectory = "directory"
)

// DisplayName is the name, else the e-mail, else the id.
func (u UserInfo) DisplayName() string {
	return UserRef{ID: u.ID, Name: u.Name, Email: u.Email}.DisplayName()
}

// UserQuery selects users.
type UserQuery struct {
	ClusterID string
	// Query matches the id, name, e-mail or claims, case-insensitively.
	Query  string
	Offset int
	Limit  int
}

// UserPage is one page of users and how many matched in all.
type UserPage struct {
	Users []UserInfo
	Total int
	// Unavailable is set (matching errs.ErrUnavailable) when the cluster's
	// databroker could not be read: the page then holds only the users
	// the console itself has seen.
	Unavailable error
}

// knownUserLimit bounds how many console-known users one search reads.
const knownUserLimit = 5000

// QueryUsers searches the users the console has seen, Core's user.User
// records and directory users, merged by id and ordered by name. Any role
// of at least viewer on a namespace the cluster serves is enough.
func (s *Service) QueryUsers(ctx context.Context, acc *rbac.Access, q UserQuery) (UserPage, error) {
	offset, limit, err := pageBounds(q.Offset, q.Limit)
	if err != nil {
		return UserPage{}, err
	}
	merged := map[string]*UserInfo{}
	known, err := s.store.SearchUsers(ctx, q.Query, knownUserLimit)
	if err != nil {
		return UserPage{}, fmt.Errorf("runtime: search users: %w", err)
	}
	var page UserPage
	t, err := s.openShared(ctx, acc, q.ClusterID)
	switch {
	case errors.Is(err, errs.ErrUnavailable):
		page.Unavailable = err
	case err != nil:
		return UserPage{}, err
	default:
		if err := s.addRuntimeUsers(ctx, t, q.Query, merged); errors.Is(err, errs.ErrUnavailable) {
			page.Unavailable = err
		} else if err != nil {
			return UserPage{}, err
		}
	}
	for _, u := range known {
		addUser(merged, UserInfo{ID: u.ID, Name: u.Name, Email: u.Email, Groups: u.Groups}, SourceConsole)
	}
	all := make([]UserInfo, 0, len(merged))
	for _, u := range merged {
		all = append(all, *u)
	}
	slices.SortFunc(all, func(a, b UserInfo) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())), cmp.Compare(a.ID, b.ID))
	})
	page.Total = len(all)
	page.Users = window(all, offset, limit)
	for i := range page.Users {
		if page.Users[i].NamespaceRoles, err = s.rolesOf(ctx, acc, page.Users[i]); err != nil {
			return UserPage{}, err
		}
	}
	return page, nil
}

// addRuntimeUsers merges the user.User and DirectoryUser records matching text.
func (s *Service) addRuntimeUsers(ctx context.Context, t target, text string, merged map[string]*UserInfo) error {
	ctx, cancel := s.call(ctx)
	defer cancel()
	users, err := loadAll(ctx, t.client, UserType, text, newUser)
	if err != nil {
		return err
	}
	for _, u := range users {
		addUser(merged, UserInfo{ID: u.rec.GetId(), Name: u.msg.GetName(), Email: u.msg.GetEmail()}, SourcePomerium)
	}
	dirUsers, err := loadAll(ctx, t.client, DirectoryUserType, text, newStruct)
	if err != nil {
		return err
	}
	for _, u := range dirUsers {
		addUser(merged, UserInfo{
			ID: u.rec.GetId(), Name: structString(u.msg, "display_name"), Email: structString(u.msg, "email"),
			Groups: structStrings(u.msg, "group_ids"),
		}, SourceDirectory)
	}
	return nil
}

// addUser merges u into the map: the first non-empty name and e-mail win
// (sources come in the order Core, directory, console), groups add up.
func addUser(merged map[string]*UserInfo, u UserInfo, source string) {
	if u.ID == "" {
		return
	}
	have, ok := merged[u.ID]
	if !ok {
		u.Sources = []string{source}
		u.Groups = slices.Clone(u.Groups)
		merged[u.ID] = &u
		return
	}
	have.Name = cmp.Or(have.Name, u.Name)
	have.Email = cmp.Or(have.Email, u.Email)
	for _, g := range u.Groups {
		if !slices.Contains(have.Groups, g) {
			have.Groups = append(have.Groups, g)
		}
	}
	if !slices.Contains(have.Sources, source) {
		have.Sources = append(have.Sources, source)
	}
}

// rolesOf resolves the namespace roles of u as the console would if u
// signed in: the effective role on every namespace of the caller's tree.
func (s *Service) rolesOf(ctx context.Context, acc *rbac.Access, u UserInfo) (map[string]string, error) {
	if s.authorizer == nil {
		return map[string]string{}, nil
	}
	theirs := acc
	if u.ID != acc.Principal.UserID {
		var err error
		theirs, err = s.authorizer.ResolveIn(ctx, acc.Tree(), authn.Principal{Kind: authn.KindPomerium, UserID: u.ID, Email: u.Email, Groups: u.Groups})
		if err != nil {
			return nil, fmt.Errorf("runtime: roles of %s: %w", u.ID, err)
		}
	}
	return effectiveRoles(acc, theirs), nil
}

// effectiveRoles lists the roles of who on the namespaces the caller can see.
func effectiveRoles(caller, who *rbac.Access) map[string]string {
	out := map[string]string{}
	for _, n := range caller.Tree().All() {
		if !caller.Visible(n.ID) {
			continue
		}
		if r := who.Role(n.ID); r > rbac.RoleNone {
			out[n.ID] = r.String()
		}
	}
	return out
}

// GetUserInfo describes user id, or the caller when id is empty. Other
// users need a role of at least viewer on a namespace the cluster serves.
// The caller's own info needs no databroker: impersonation is then
// reported as off.
func (s *Service) GetUserInfo(ctx context.Context, acc *rbac.Access, clusterID, id string) (UserInfo, error) {
	if id == "" || id == acc.Principal.UserID {
		return s.selfInfo(ctx, acc, clusterID)
	}
	t, err := s.openShared(ctx, acc, clusterID)
	if err != nil && !errors.Is(err, errs.ErrUnavailable) {
		return UserInfo{}, err
	}
	merged := map[string]*UserInfo{}
	if err == nil {
		if err := s.addRuntimeUser(ctx, t, id, merged); err != nil && !errors.Is(err, errs.ErrUnavailable) {
			return UserInfo{}, err
		}
	}
	known, err := s.store.GetUser(ctx, id)
	switch {
	case err == nil:
		addUser(merged, UserInfo{ID: known.ID, Name: known.Name, Email: known.Email, Groups: known.Groups}, SourceConsole)
	case !errors.Is(err, db.ErrNotFound):
		return UserInfo{}, fmt.Errorf("runtime: user %s: %w", id, err)
	}
	u, ok := merged[id]
	if !ok {
		return UserInfo{}, errs.NotFound("user %s is not known to the console or the cluster", id)
	}
	if u.NamespaceRoles, err = s.rolesOf(ctx, acc, *u); err != nil {
		return UserInfo{}, err
	}
	return *u, nil
}

// addRuntimeUser merges the user.User and DirectoryUser records of id.
func (s *Service) addRuntimeUser(ctx context.Context, t target, id string, merged map[string]*UserInfo) error {
	ctx, cancel := s.call(ctx)
	defer cancel()
	if u, ok, err := getOne(ctx, t.client, UserType, id, newUser); err != nil {
		return err
	} else if ok {
		addUser(merged, UserInfo{ID: id, Name: u.msg.GetName(), Email: u.msg.GetEmail()}, SourcePomerium)
	}
	du, ok, err := getOne(ctx, t.client, DirectoryUserType, id, newStruct)
	if err != nil {
		return err
	}
	if ok {
		addUser(merged, UserInfo{
			ID: id, Name: structString(du.msg, "display_name"), Email: structString(du.msg, "email"), Groups: structStrings(du.msg, "group_ids"),
		}, SourceDirectory)
	}
	return nil
}

// selfInfo describes the caller from their principal and access.
func (s *Service) selfInfo(ctx context.Context, acc *rbac.Access, clusterID string) (UserInfo, error) {
	p := acc.Principal
	u := UserInfo{ID: p.UserID, Name: p.Name, Email: p.Email, Groups: slices.Clone(p.Groups), NamespaceRoles: effectiveRoles(acc, acc)}
	if p.Kind == authn.KindPomerium {
		u.Sources = []string{SourceConsole}
	}
	if p.SessionID == "" {
		return u, nil
	}
	// Impersonation is read best-effort: the caller's identity is known
	// whatever state the databroker is in.
	c, _, err := s.cluster(ctx, acc, clusterID)
	if err != nil {
		return u, nil //nolint:nilerr // see above
	}
	t, err := s.connect(ctx, c)
	if err != nil {
		return u, nil //nolint:nilerr // see above
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	if mine, ok, err := getOne(ctx, t.client, SessionType, p.SessionID, newSession); err == nil && ok {
		u.IsImpersonated = mine.msg.GetImpersonateSessionId() != ""
	}
	return u, nil
}
