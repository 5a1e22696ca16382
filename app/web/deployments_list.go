package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	depview "github.com/pomerium-console-oss/pomerium-console/views/deployments"
)

// deploymentsSection is the URL segment and nav key of the deployment pages.
const deploymentsSection = "deployments"

func registerDeployments(r fiber.Router, s *server) {
	r.Get("/deployments", s.deploymentsList)
	r.Get("/deployments/pending", s.deploymentsReview)
	r.Post("/deployments/apply", s.deploymentsApply)
	r.Post("/deployments/discard", s.deploymentsDiscard)
	r.Get("/deployments/compare", s.deploymentsCompare)
	r.Get("/deployments/:id", s.deploymentsShow)
	r.Get("/deployments/:id/config.yaml", s.deploymentsDownload)
	r.Post("/deployments/:id/redeploy", s.deploymentsRedeploy)
	r.Post("/deployments/:id/push", s.deploymentsPush)
}

// deploymentURL is the deployments page of the cluster serving nsID, or
// one deployment's page.
func deploymentURL(nsID, id string) string {
	if id == "" {
		return nsURL(nsID, deploymentsSection)
	}
	return nsURL(nsID, deploymentsSection+"/"+url.PathEscape(id))
}

// deploymentsList shows the deployments of the cluster serving the current
// namespace, with its pending changes.
func (s *server) deploymentsList(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.Deploy.ClusterOf(c.UserContext(), st.access, st.namespace.ID)
	if err != nil {
		return err
	}
	pageNum := pageNumber(c)
	page, err := s.Deploy.List(c.UserContext(), st.access, cl.ID, (pageNum-1)*deploy.PageSize)
	if err != nil {
		return err
	}
	pending, err := s.Deploy.Pending(c.UserContext(), st.access, cl.ID)
	if err != nil {
		return err
	}
	base := deploymentURL(st.namespace.ID, "")
	vm := depview.ListVM{
		Pager:         components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: deploy.PageSize, BaseURL: base},
		CompareAction: base + "/compare",
		ExportURL:     s.exportURL(c, cl),
	}
	if vm.Cluster, err = s.clusterVM(c, cl); err != nil {
		return err
	}
	vm.Pending = s.pendingVM(c, pending)
	for _, d := range page.Deployments {
		row := deploymentRow(st.namespace.ID, d)
		if d.Number > 1 {
			row.CompareURL = compareURL(st.namespace.ID, "", d.ID)
		}
		vm.Rows = append(vm.Rows, row)
		vm.Choices = append(vm.Choices, components.Option{Value: d.ID, Label: row.Number + " " + d.Message})
	}
	return s.page(c, fiber.StatusOK, "Deployments", deploymentsSection, depview.ListPage(vm))
}

// clusterVM describes the cluster a deployments page is about, with links
// to the deployments of the other clusters the caller may view.
func (s *server) clusterVM(c *fiber.Ctx, cl db.Cluster) (depview.ClusterVM, error) {
	st := state(c)
	push, err := s.pushVM(c, cl)
	if err != nil {
		return depview.ClusterVM{}, err
	}
	vm := depview.ClusterVM{Name: cl.Name, URL: clusterURL(st.namespace.ID, cl.ID), Push: push}
	if st.access.Role(db.GlobalNamespaceID) < rbac.RoleViewer {
		return vm, nil
	}
	list, err := s.Clusters.List(c.UserContext(), st.access)
	if err != nil {
		return depview.ClusterVM{}, err
	}
	for _, o := range list {
		vm.Others = append(vm.Others, depview.Link{Label: o.Name, URL: deploymentURL(o.NamespaceID, ""), Current: o.ID == cl.ID})
	}
	return vm, nil
}

// pendingVM describes the open changeset for the bar and the review page.
func (s *server) pendingVM(c *fiber.Ctx, p deploy.Pending) depview.PendingVM {
	st := state(c)
	counts := deploy.CountOf(p.Changes)
	base := deploymentURL(st.namespace.ID, "")
	vm := depview.PendingVM{
		Count: len(p.Changes), Added: counts.Added, Changed: counts.Changed, Removed: counts.Removed,
		ReviewURL: base + "/pending", ApplyURL: base + "/apply", DiscardURL: base + "/discard",
		CanApply: st.access.Role(p.Cluster.NamespaceID) >= rbac.RoleAdmin, FirstDeployment: !p.HasBaseline,
		CSRFToken: st.sess.csrfToken(), Changes: changeVMs(c, p.Changes),
	}
	if vm.Count > 0 {
		vm.ActivityURL = changesetActivityURL(st.namespace.ID, deploy.PendingID)
	}
	return vm
}

// changeVMs describes changed entities, linking those that still exist.
func changeVMs(c *fiber.Ctx, changes []deploy.Change) []depview.ChangeVM {
	st := state(c)
	out := make([]depview.ChangeVM, 0, len(changes))
	for _, ch := range changes {
		ns, _ := st.access.Tree().Get(ch.NamespaceID)
		vm := depview.ChangeVM{Kind: ch.Kind, Type: entityTitle(ch.Type), Name: ch.Name, NamespaceName: ns.Name}
		if ch.Kind != deploy.KindRemoved {
			vm.URL = entityURL(ch)
		}
		out = append(out, vm)
	}
	return out
}

// entityTitle names an entity type for people.
func entityTitle(typ string) string {
	switch typ {
	case activity.EntityRoute:
		return "Route"
	case activity.EntityPolicy:
		return "Policy"
	case activity.EntityKeyPair:
		return "Key pair"
	case activity.EntitySettings:
		return "Settings"
	}
	return typ
}

// entityURL is the page of a changed entity.
func entityURL(ch deploy.Change) string {
	switch ch.Type {
	case activity.EntityRoute:
		return nsURL(ch.NamespaceID, "routes/"+ch.ID)
	case activity.EntityPolicy:
		return nsURL(ch.NamespaceID, "policies/"+ch.ID)
	case activity.EntityKeyPair:
		return keyPairURL(ch.NamespaceID, ch.ID)
	case activity.EntitySettings:
		return nsURL(db.GlobalNamespaceID, "settings")
	}
	return ""
}

// deploymentRow describes one deployment for lists.
func deploymentRow(nsID string, d db.Deployment) depview.Row {
	sum := deploy.SummaryOf(d)
	row := depview.Row{
		ID: d.ID, Number: fmt.Sprintf("#%d", d.Number), URL: deploymentURL(nsID, d.ID), Status: d.Status,
		Message: d.Message, Who: d.UserName, When: formatTime(d.CreatedAt), WhenISO: d.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Changes: changesLabel(sum),
	}
	if row.Who == "" {
		row.Who = d.UserEmail
	}
	return row
}

// changesLabel words a deployment's summary: "2 changed, 1 added".
func changesLabel(sum deploy.Summary) string {
	if sum.Total() == 0 {
		return "No changes"
	}
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{sum.Changed, "changed"}, {sum.Added, "added"}, {sum.Removed, "removed"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	return strings.Join(parts, ", ")
}

// compareURL compares deployment from (or the one before to, when empty)
// with to (or the pending changes, deploy.PendingID).
func compareURL(nsID, from, to string) string {
	v := url.Values{}
	if from != "" {
		v.Set("firstId", from)
	}
	v.Set("secondId", to)
	return deploymentURL(nsID, "") + "/compare?" + v.Encode()
}

// changesetActivityURL lists the activity entries of changeset id.
func changesetActivityURL(nsID, id string) string {
	return nsURL(nsID, "activity") + "?" + url.Values{"changesetId": {id}, "descendants": {"on"}}.Encode()
}

// exportURL downloads the current configuration of cl as config.yaml, for
// admins of its namespace.
func (s *server) exportURL(c *fiber.Ctx, cl db.Cluster) string {
	if state(c).access.Role(cl.NamespaceID) < rbac.RoleAdmin {
		return ""
	}
	return deploymentURL(cl.NamespaceID, "") + "/export.yaml"
}
