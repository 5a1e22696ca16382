package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterNamespacePermissionServiceServer(gs, &permissionAPI{d: d})
	})
}

// permissionAPI is NamespacePermissionService over the members service:
// a namespace permission is a member grant.
type permissionAPI struct {
	pb.UnimplementedNamespacePermissionServiceServer
	d Deps
}

// permissionFields maps the members service's field names onto
// SetNamespacePermissionRequest.
var permissionFields = map[string]string{
	"subjectType": "namespace_permission.subject_type",
	"subjectId":   "namespace_permission.subject_id",
	"role":        "namespace_permission.role",
}

// ListNamespacePermissions lists the grants made on every namespace the
// caller may view, ordered by namespace (in tree order), subject type and id.
func (s *permissionAPI) ListNamespacePermissions(ctx context.Context, _ *pb.ListNamespacePermissionsRequest) (*pb.ListNamespacePermissionsResponse, error) {
	acc := access(ctx)
	all, err := s.d.Store.ListPermissions(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("grpcapi: list permissions: %w", err)
	}
	byNamespace := map[string][]db.Permission{}
	for _, p := range all {
		byNamespace[p.NamespaceID] = append(byNamespace[p.NamespaceID], p)
	}
	out := &pb.ListNamespacePermissionsResponse{}
	for _, n := range acc.Tree().All() {
		if acc.Role(n.ID) < rbac.RoleViewer {
			continue
		}
		for _, p := range byNamespace[n.ID] {
			out.NamespacePermissions = append(out.NamespacePermissions, permissionMessage(p, n.Name))
		}
	}
	return out, nil
}

// GetNamespacePermission returns one grant; the caller must view its namespace.
func (s *permissionAPI) GetNamespacePermission(ctx context.Context, req *pb.GetNamespacePermissionRequest) (*pb.GetNamespacePermissionResponse, error) {
	acc := access(ctx)
	p, err := s.get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	if err := acc.Require(p.NamespaceID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	ns, _ := acc.Tree().Get(p.NamespaceID)
	return &pb.GetNamespacePermissionResponse{NamespacePermission: permissionMessage(p, ns.Name)}, nil
}

func (s *permissionAPI) get(ctx context.Context, id string) (db.Permission, error) {
	if id == "" {
		return db.Permission{}, invalid("id", "enter the namespace permission id")
	}
	p, err := s.d.Store.GetPermission(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.Permission{}, errs.NotFound("namespace permission %q does not exist", id)
	case err != nil:
		return db.Permission{}, fmt.Errorf("grpcapi: get permission: %w", err)
	}
	return p, nil
}

// SetNamespacePermission grants a role (empty id), or replaces grant id.
// Granting to a subject that already holds a grant on the namespace changes
// that grant's role. Replacing a grant with another namespace or subject
// revokes it and grants anew in one transaction, so the id changes.
func (s *permissionAPI) SetNamespacePermission(ctx context.Context, req *pb.SetNamespacePermissionRequest) (*pb.SetNamespacePermissionResponse, error) {
	acc := access(ctx)
	in := req.GetNamespacePermission()
	if in == nil {
		return nil, invalid("namespace_permission", "send the namespace permission to create or replace")
	}
	nsID := in.GetNamespaceId()
	switch _, ok := acc.Tree().Get(nsID); {
	case nsID == "":
		return nil, invalid("namespace_permission.namespace_id", "choose the namespace to grant a role on")
	case !ok:
		return nil, errs.Field("namespace_permission.namespace_id", errs.CodeNotFound, "there is no namespace with id %q", nsID)
	}
	grant := members.GrantInput{SubjectType: in.GetSubjectType(), SubjectID: in.GetSubjectId(), Role: in.GetRole()}
	var (
		stored db.Permission
		err    error
	)
	if in.GetId() == "" {
		stored, err = s.d.Members.Grant(ctx, acc, nsID, grant)
	} else {
		stored, err = s.replace(ctx, acc, in.GetId(), nsID, grant)
	}
	if err != nil {
		return nil, renameFields(err, "namespace_permission", permissionFields)
	}
	ns, _ := acc.Tree().Get(stored.NamespaceID)
	return &pb.SetNamespacePermissionResponse{NamespacePermission: permissionMessage(stored, ns.Name)}, nil
}

// replace makes grant id the grant of in on nsID.
func (s *permissionAPI) replace(ctx context.Context, acc *rbac.Access, id, nsID string, in members.GrantInput) (db.Permission, error) {
	old, err := s.get(ctx, id)
	if err != nil {
		return db.Permission{}, err
	}
	if old.NamespaceID == nsID && old.SubjectType == strings.TrimSpace(in.SubjectType) && sameSubject(old.SubjectType, old.SubjectID, in.SubjectID) {
		return s.d.Members.Grant(ctx, acc, nsID, in)
	}
	var stored db.Permission
	err = s.d.Store.InTx(ctx, func(tx db.Store) error {
		// A members service over tx keeps the revoke and the grant (and
		// their activity entries) in one transaction.
		m := members.NewService(tx, s.d.Now)
		if err := m.Revoke(ctx, acc, old.NamespaceID, old.ID); err != nil {
			return err
		}
		stored, err = m.Grant(ctx, acc, nsID, in)
		return err
	})
	return stored, err
}

// sameSubject compares a stored subject id with a sent one as the members
// service stores it: trimmed, users' e-mail addresses lower-cased.
func sameSubject(subjectType, stored, sent string) bool {
	sent = strings.TrimSpace(sent)
	if subjectType == db.SubjectUser && strings.Contains(sent, "@") {
		return strings.EqualFold(stored, sent)
	}
	return stored == sent
}

// DeleteNamespacePermission revokes one grant.
func (s *permissionAPI) DeleteNamespacePermission(ctx context.Context, req *pb.DeleteNamespacePermissionRequest) (*pb.DeleteNamespacePermissionResponse, error) {
	p, err := s.get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	if err := s.d.Members.Revoke(ctx, access(ctx), p.NamespaceID, p.ID); err != nil {
		return nil, err
	}
	return &pb.DeleteNamespacePermissionResponse{}, nil
}

// ListNamespacePermissionUsers lists the user grants that apply on a
// namespace, its own and those inherited from its ancestors, with the name
// and e-mail of users who signed in. group_ids are the user's groups (as
// the IdP last reported them) that also hold a grant there.
func (s *permissionAPI) ListNamespacePermissionUsers(ctx context.Context, req *pb.ListNamespacePermissionUsersRequest) (*pb.ListNamespacePermissionUsersResponse, error) {
	list, err := s.members(ctx, req.GetNamespaceId())
	if err != nil {
		return nil, err
	}
	granted := map[string]bool{}
	for _, m := range list {
		if m.SubjectType == db.SubjectGroup {
			granted[m.SubjectID] = true
		}
	}
	out := &pb.ListNamespacePermissionUsersResponse{}
	for _, m := range list {
		if m.SubjectType != db.SubjectUser {
			continue
		}
		u := &pb.NamespacePermissionUser{
			Id: m.ID, CreatedAt: pbTime(m.CreatedAt), ModifiedAt: pbTime(m.ModifiedAt),
			NamespaceId: m.NamespaceID, NamespaceName: m.NamespaceName,
			UserId: m.SubjectID, UserName: m.UserName, UserEmail: m.UserEmail, Role: m.Role,
		}
		for _, g := range m.UserGroups {
			if granted[g] && !slices.Contains(u.GroupIds, g) {
				u.GroupIds = append(u.GroupIds, g)
			}
		}
		out.Users = append(out.Users, u)
	}
	return out, nil
}

// ListNamespacePermissionGroups lists the group grants that apply on a
// namespace, its own and inherited ones. The console keeps no group
// directory, so group_name and group_email stay empty.
func (s *permissionAPI) ListNamespacePermissionGroups(ctx context.Context, req *pb.ListNamespacePermissionGroupsRequest) (*pb.ListNamespacePermissionGroupsResponse, error) {
	list, err := s.members(ctx, req.GetNamespaceId())
	if err != nil {
		return nil, err
	}
	out := &pb.ListNamespacePermissionGroupsResponse{}
	for _, m := range list {
		if m.SubjectType != db.SubjectGroup {
			continue
		}
		out.Groups = append(out.Groups, &pb.NamespacePermissionGroup{
			Id: m.ID, CreatedAt: pbTime(m.CreatedAt), ModifiedAt: pbTime(m.ModifiedAt),
			NamespaceId: m.NamespaceID, NamespaceName: m.NamespaceName, GroupId: m.SubjectID, Role: m.Role,
		})
	}
	return out, nil
}

// members lists the grants that apply on nsID, for a viewer of it.
func (s *permissionAPI) members(ctx context.Context, nsID string) ([]members.Member, error) {
	acc := access(ctx)
	if nsID == "" {
		return nil, invalid("namespace_id", "enter the namespace id")
	}
	if _, ok := acc.Tree().Get(nsID); !ok {
		return nil, errs.NotFound("namespace %q does not exist", nsID)
	}
	return s.d.Members.List(ctx, acc, nsID)
}

func permissionMessage(p db.Permission, namespaceName string) *pb.NamespacePermission {
	return &pb.NamespacePermission{
		Id: p.ID, CreatedAt: pbTime(p.CreatedAt), ModifiedAt: pbTime(p.ModifiedAt),
		NamespaceId: p.NamespaceID, NamespaceName: namespaceName,
		SubjectType: p.SubjectType, SubjectId: p.SubjectID, Role: p.Role,
	}
}
