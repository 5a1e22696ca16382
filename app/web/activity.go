package web

import (
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/db"
	activityview "github.com/pomerium-console-oss/pomerium-console/views/activity"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

func registerActivity(r fiber.Router, s *server) {
	r.Get("/activity", s.activityList)
	r.Get("/activity/:id", s.activityShow)
}

// activityList shows the log of the current namespace with the filters of
// the REST listActivityLogs operation; filters live in the query string so a
// filtered view can be shared.
func (s *server) activityList(c *fiber.Ctx) error {
	st := state(c)
	q := activity.Query{
		NamespaceID:        st.namespace.ID,
		IncludeDescendants: c.Query("descendants") == "on",
		ActivityType:       c.Query("activityType"),
		EntityType:         c.Query("entityType"),
		EntityID:           c.Query("entityId"),
		UserID:             c.Query("userId"),
		ChangesetID:        c.Query("changesetId"),
	}
	changesetLabel, err := s.changesetFilter(c, &q)
	if err != nil {
		return err
	}
	pageNum := pageNumber(c)
	q.Offset = (pageNum - 1) * activity.PageSize
	base := nsURL(st.namespace.ID, "activity")
	page, err := s.Activity.List(c.UserContext(), st.access, q)
	if err != nil {
		return err
	}
	people, err := s.Activity.Users(c.UserContext(), st.access, q.NamespaceID, q.IncludeDescendants)
	if err != nil {
		return err
	}
	vm := activityview.ListVM{
		BaseURL: base,
		Filters: activityview.FilterVM{
			ActivityType:       q.ActivityType,
			EntityType:         q.EntityType,
			EntityID:           q.EntityID,
			UserID:             q.UserID,
			IncludeDescendants: q.IncludeDescendants,
			EntityTypes:        activity.EntityTypes,
			ChangesetID:        q.ChangesetID,
			ChangesetLabel:     changesetLabel,
			ChangesetClearURL:  components.QueryURL(base, filterQuery(q), "changesetId", ""),
		},
		Query: filterQuery(q),
	}
	vm.Pager = components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: page.Limit, BaseURL: base, Query: vm.Query}
	for _, p := range people {
		vm.Filters.Users = append(vm.Filters.Users, activityview.UserOption{ID: p.UserID, Label: personLabel(p)})
	}
	for _, e := range page.Entries {
		vm.Entries = append(vm.Entries, entryRow(e, base))
	}
	if c.Get("HX-Target") == activityview.TableTargetID {
		return renderFragment(c, fiber.StatusOK, activityview.Table(vm))
	}
	return s.page(c, fiber.StatusOK, "Activity log", "activity", activityview.ListPage(vm))
}

func (s *server) activityShow(c *fiber.Ctx) error {
	st := state(c)
	e, err := s.Activity.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	vm := activityview.DetailVM{
		Entry:   entryRow(e, nsURL(st.namespace.ID, "activity")),
		Before:  e.Before,
		After:   e.After,
		BackURL: nsURL(st.namespace.ID, "activity"),
	}
	return s.page(c, fiber.StatusOK, "Activity entry", "activity", activityview.DetailPage(vm))
}

// filterQuery is the query string of the active filters, without the page,
// for pagination links.
func filterQuery(q activity.Query) url.Values {
	return filterValues("activityType", q.ActivityType, "entityType", q.EntityType, "entityId", q.EntityID,
		"userId", q.UserID, "changesetId", q.ChangesetID, "descendants", checkbox(q.IncludeDescendants))
}

func entryRow(e db.ActivityEntry, base string) activityview.EntryRow {
	return activityview.EntryRow{
		ID:            e.ID,
		When:          formatTime(e.CreatedAt),
		WhenISO:       e.CreatedAt.UTC().Format(time.RFC3339),
		User:          personLabel(e),
		UserID:        e.UserID,
		AuthMethod:    e.AuthMethod,
		ActivityType:  e.ActivityType,
		EntityType:    e.EntityType,
		EntityID:      e.EntityID,
		EntityName:    e.EntityName,
		NamespaceName: e.NamespaceName,
		URL:           base + "/" + e.ID,
	}
}

func personLabel(e db.ActivityEntry) string {
	switch {
	case e.UserName != "" && e.UserEmail != "" && e.UserName != e.UserEmail:
		return e.UserName + " <" + e.UserEmail + ">"
	case e.UserName != "":
		return e.UserName
	case e.UserEmail != "":
		return e.UserEmail
	}
	return e.UserID
}

// changesetFilter resolves the changesetId filter (a deployment id, or
// "pending" for the open changeset) and returns how the filter bar names it.
func (s *server) changesetFilter(c *fiber.Ctx, q *activity.Query) (string, error) {
	if q.ChangesetID == "" {
		return "", nil
	}
	st := state(c)
	scope, err := s.Deploy.Scope(c.UserContext(), st.access, q.ChangesetID, st.namespace.ID)
	if err != nil {
		return "", err
	}
	q.Changeset = &activity.ChangesetFilter{Revisions: scope.Revisions, NamespaceIDs: scope.NamespaceIDs}
	if q.ChangesetID == deploy.PendingID {
		return "Pending changes of " + scope.Cluster.Name, nil
	}
	d, _, err := s.Deploy.Get(c.UserContext(), st.access, q.ChangesetID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Changeset #%d of %s", d.Number, scope.Cluster.Name), nil
}
