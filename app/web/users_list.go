package web

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	dirview "github.com/pomerium-console-oss/pomerium-console/views/directory"
)

// usersSection is the URL segment and nav key of the users page.
const usersSection = "users"

// usersPageSize is how many users one page shows.
const usersPageSize = 50

func registerUsers(r fiber.Router, s *server) {
	r.Get("/users", s.usersList)
}

// sourceTitles name where a user was found.
var sourceTitles = map[string]string{
	runtime.SourceConsole: "Console", runtime.SourcePomerium: "Pomerium", runtime.SourceDirectory: "Directory",
}

// usersList searches the users of the current namespace's cluster as the
// caller types; without a databroker it lists the console's own users.
func (s *server) usersList(c *fiber.Ctx) error {
	st := state(c)
	base := nsURL(st.namespace.ID, usersSection)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	vm := dirview.ListVM{BaseURL: base, ClusterName: cl.Name, Search: c.Query("q")}
	pageNum := pageNumber(c)
	page, err := s.Runtime.QueryUsers(c.UserContext(), st.access, runtime.UserQuery{
		ClusterID: cl.ID, Query: vm.Search, Offset: (pageNum - 1) * usersPageSize, Limit: usersPageSize,
	})
	if err != nil {
		return err
	}
	if errors.Is(page.Unavailable, errs.ErrUnavailable) {
		vm.Notice = errs.Reason(page.Unavailable)
	}
	vm.Pager = components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: usersPageSize, BaseURL: base, Query: filterValues("q", vm.Search)}
	canEnroll := st.access.Role(cl.NamespaceID) >= rbac.RoleAdmin
	groupNames := s.groupNames(c, cl.ID, page.Unavailable == nil)
	for _, u := range page.Users {
		row := dirview.Row{
			ID: u.ID, Name: u.DisplayName(), Email: u.Email, Groups: strings.Join(namesOf(u.Groups, groupNames), ", "),
			SessionsURL: components.QueryURL(nsURL(st.namespace.ID, sessionsSection), nil, "user", u.ID),
		}
		if u.Email == row.Name {
			row.Email = ""
		}
		if canEnroll {
			row.DevicesURL = components.QueryURL(nsURL(st.namespace.ID, devicesSection+"/enroll"), nil, "user", u.ID)
		}
		for _, src := range u.Sources {
			row.Sources = append(row.Sources, sourceTitles[src])
		}
		row.Roles = rolesInTreeOrder(st, u.NamespaceRoles)
		vm.Rows = append(vm.Rows, row)
	}
	if c.Get("HX-Target") == dirview.ListTargetID {
		return renderFragment(c, fiber.StatusOK, dirview.List(vm))
	}
	return s.page(c, fiber.StatusOK, "Users", usersSection, dirview.ListPage(vm))
}

// rolesInTreeOrder lists the namespaces where a user's role starts (is
// granted, rather than inherited from the parent), in tree order.
func rolesInTreeOrder(st *reqState, roles map[string]string) []dirview.Role {
	var out []dirview.Role
	for _, n := range st.access.Tree().All() {
		r, ok := roles[n.ID]
		if !ok || (n.ParentID != "" && roles[n.ParentID] == r) {
			continue
		}
		out = append(out, dirview.Role{Namespace: n.Name, Role: r})
	}
	return slices.Clip(out)
}

// groupNames maps directory group ids to names, for showing a user's
// groups; empty when the directory cannot be read.
func (s *server) groupNames(c *fiber.Ctx, clusterID string, available bool) map[string]string {
	out := map[string]string{}
	if !available {
		return out
	}
	groups, err := s.Runtime.QueryGroups(c.UserContext(), state(c).access, runtime.GroupQuery{ClusterID: clusterID, Limit: runtime.MaxLimit})
	if err != nil {
		s.Logger.Warn("read directory groups", "error", err, "request_id", requestID(c))
		return out
	}
	for _, g := range groups.Groups {
		if g.Name != "" {
			out[g.ID] = g.Name
		}
	}
	return out
}

// namesOf names each group id (the id itself when the group is unknown).
func namesOf(ids []string, names map[string]string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		} else {
			out = append(out, id)
		}
	}
	return out
}
