package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	routeview "github.com/pomerium-console-oss/pomerium-console/views/routes"
)

func registerRoutes(r fiber.Router, s *server) {
	r.Get("/routes", s.routesList)
	r.Get("/routes/new", s.routesNew)
	r.Post("/routes", s.routesCreate)
	r.Post("/routes/validate", s.routesValidate)
	r.Get("/routes/:id", s.routesShow)
	r.Get("/routes/:id/edit", s.routesEdit)
	r.Get("/routes/:id/clone", s.routesClone)
	r.Post("/routes/:id", s.routesUpdate)
	r.Post("/routes/:id/validate", s.routesValidate)
	r.Post("/routes/:id/delete", s.routesDelete)
}

// routeSorts maps the sort parameter to the store's orders.
var routeSorts = map[string]string{"name": db.RouteSortName, "from": db.RouteSortFrom, "modified": db.RouteSortModified}

// routesList shows the routes of the current namespace; search, filter,
// order and page live in the query string so a view can be shared.
func (s *server) routesList(c *fiber.Ctx) error {
	st := state(c)
	q := routes.Query{
		NamespaceID:        st.namespace.ID,
		IncludeDescendants: c.Query("descendants") == "on",
		Search:             strings.TrimSpace(c.Query("q")),
		Desc:               c.Query(components.DirParam) == "desc",
	}
	sortKey := c.Query(components.SortParam)
	if _, ok := routeSorts[sortKey]; !ok {
		sortKey = ""
	}
	q.Sort = routeSorts[sortKey]
	pageNum := pageNumber(c)
	q.Offset = (pageNum - 1) * routes.PageSize
	page, err := s.Routes.List(c.UserContext(), st.access, q)
	if err != nil {
		return err
	}
	base := nsURL(st.namespace.ID, "routes")
	filters := filterValues("q", q.Search, "descendants", checkbox(q.IncludeDescendants), components.SortParam, sortKey)
	if sortKey != "" && q.Desc {
		filters.Set(components.DirParam, "desc")
	}
	vm := routeview.ListVM{
		BaseURL: base, NewURL: base + "/new", ImportURL: nsURL(st.namespace.ID, "import"),
		CanCreate: st.access.Role(st.namespace.ID) >= rbac.RoleManager,
		Search:    q.Search, IncludeDescendants: q.IncludeDescendants, Sort: sortKey, Desc: q.Desc,
		Query: filters,
		Pager: components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: routes.PageSize, BaseURL: base, Query: filters},
	}
	for _, r := range page.Routes {
		ns, _ := st.access.Tree().Get(r.NamespaceID)
		vm.Rows = append(vm.Rows, routeview.Row{
			Name: r.Name, URL: nsURL(r.NamespaceID, "routes/"+r.ID), From: routeFrom(r), Target: routeTarget(r),
			NamespaceName: ns.Name, Policies: len(r.PolicyIDs), Updated: r.ModifiedAt.Local().Format("2006-01-02 15:04"),
		})
	}
	if c.Get("HX-Target") == routeview.ListTargetID {
		return renderFragment(c, fiber.StatusOK, routeview.List(vm))
	}
	return s.page(c, fiber.StatusOK, "Routes", "routes", routeview.ListPage(vm))
}

// routeFrom is the from URL with the route's path matching.
func routeFrom(r db.Route) string {
	switch {
	case r.Path != "":
		return r.From + r.Path
	case r.Prefix != "" && r.Prefix != "/":
		return r.From + r.Prefix + "*"
	case r.Regex != "":
		return r.From + " ~ " + r.Regex
	}
	return r.From
}

// routeTarget says in a few words where a route's requests go.
func routeTarget(r db.Route) string {
	switch {
	case r.Spec.Redirect != nil:
		return "redirect"
	case r.Spec.Response != nil:
		return "answers " + strconv.Itoa(int(r.Spec.Response.Status))
	}
	return strings.Join(r.To, ", ")
}
