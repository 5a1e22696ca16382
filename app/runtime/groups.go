package runtime

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
)

// GroupQuery selects directory groups.
type GroupQuery struct {
	ClusterID string
	// Query matches the id, name or e-mail, case-insensitively.
	Query  string
	Offset int
	Limit  int
}

// GroupPage is one page of groups and how many matched in all.
type GroupPage struct {
	Groups []Group
	Total  int
}

// QueryGroups searches the directory groups (pomerium.io/DirectoryGroup)
// of the cluster, ordered by name.
func (s *Service) QueryGroups(ctx context.Context, acc *rbac.Access, q GroupQuery) (GroupPage, error) {
	offset, limit, err := pageBounds(q.Offset, q.Limit)
	if err != nil {
		return GroupPage{}, err
	}
	t, err := s.openShared(ctx, acc, q.ClusterID)
	if err != nil {
		return GroupPage{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	records, err := loadAll(ctx, t.client, DirectoryGroupType, q.Query, newStruct)
	if err != nil {
		return GroupPage{}, err
	}
	all := make([]Group, 0, len(records))
	for _, r := range records {
		all = append(all, groupOf(r.rec.GetId(), r.msg))
	}
	slices.SortFunc(all, func(a, b Group) int {
		return cmp.Or(cmp.Compare(strings.ToLower(cmp.Or(a.Name, a.ID)), strings.ToLower(cmp.Or(b.Name, b.ID))), cmp.Compare(a.ID, b.ID))
	})
	return GroupPage{Groups: window(all, offset, limit), Total: len(all)}, nil
}

// GetGroupInfo returns directory group id.
func (s *Service) GetGroupInfo(ctx context.Context, acc *rbac.Access, clusterID, id string) (Group, error) {
	if id == "" {
		return Group{}, errs.Field("group_id", errs.CodeRequired, "enter a group id")
	}
	t, err := s.openShared(ctx, acc, clusterID)
	if err != nil {
		return Group{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	g, ok, err := getOne(ctx, t.client, DirectoryGroupType, id, newStruct)
	if err != nil {
		return Group{}, err
	}
	if !ok {
		return Group{}, errs.NotFound("group %s is not in the directory of cluster %q", id, t.cluster.Name)
	}
	return groupOf(id, g.msg), nil
}
