package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	clview "github.com/pomerium-console-oss/pomerium-console/views/clusters"
)

// clustersSection is the URL segment and nav key of the cluster pages.
const clustersSection = "clusters"

func registerClusters(r fiber.Router, s *server) {
	r.Get("/clusters", s.clustersList)
	r.Get("/clusters/new", s.clustersNew)
	r.Post("/clusters", s.clustersCreate)
	r.Get("/clusters/:id", s.clustersShow)
	r.Get("/clusters/:id/edit", s.clustersEdit)
	r.Post("/clusters/:id", s.clustersUpdate)
	r.Post("/clusters/:id/delete", s.clustersDelete)
	r.Post("/clusters/:id/push", s.clustersPush)
}

// clusterURL is the cluster list (id "") or one cluster's page, under the
// current namespace.
func clusterURL(nsID, id string) string {
	if id == "" {
		return nsURL(nsID, clustersSection)
	}
	return nsURL(nsID, clustersSection+"/"+id)
}

func (s *server) clustersList(c *fiber.Ctx) error {
	st := state(c)
	list, err := s.Clusters.List(c.UserContext(), st.access)
	if err != nil {
		return err
	}
	vm := clview.ListVM{NewURL: clusterURL(st.namespace.ID, "new"), CanManage: st.access.Role(db.GlobalNamespaceID) >= rbac.RoleAdmin}
	for _, cl := range list {
		row, err := s.clusterRow(c, cl)
		if err != nil {
			return err
		}
		vm.Rows = append(vm.Rows, row)
	}
	return s.page(c, fiber.StatusOK, "Clusters", clustersSection, clview.ListPage(vm))
}

func (s *server) clustersShow(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.Clusters.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	row, err := s.clusterRow(c, cl)
	if err != nil {
		return err
	}
	base := clusterURL(st.namespace.ID, cl.ID)
	vm := clview.DetailVM{
		Row: row, HasSecret: clusters.HasSecret(cl), HasCA: cl.CAPEM != "", OverrideName: cl.OverrideName,
		InsecureSkipVerify: cl.InsecureSkipVerify, Created: formatTime(cl.CreatedAt), Modified: formatTime(cl.ModifiedAt),
		CanManage: st.access.Role(db.GlobalNamespaceID) >= rbac.RoleAdmin, EditURL: base + "/edit",
		DeleteURL: base + "/delete", ListURL: clusterURL(st.namespace.ID, ""), CSRFToken: st.sess.csrfToken(),
	}
	if clusters.CanPush(cl) {
		vm.PushURL = base + "/push"
	}
	return s.page(c, fiber.StatusOK, cl.Name, clustersSection, clview.DetailPage(vm))
}

// clusterRow describes a cluster with its push state for the current caller.
func (s *server) clusterRow(c *fiber.Ctx, cl db.Cluster) (clview.Row, error) {
	st := state(c)
	ns, _ := st.access.Tree().Get(cl.NamespaceID)
	push, err := s.pushVM(c, cl)
	if err != nil {
		return clview.Row{}, err
	}
	return clview.Row{
		ID: cl.ID, Name: cl.Name, URL: clusterURL(st.namespace.ID, cl.ID), IsDefault: clusters.IsDefault(cl),
		NamespaceName: ns.Name, DatabrokerURL: cl.DatabrokerURL, DeploymentsURL: nsURL(cl.NamespaceID, deploymentsSection),
		Push: push,
	}, nil
}

// pushVM describes how pushing to cl goes.
func (s *server) pushVM(c *fiber.Ctx, cl db.Cluster) (clview.PushVM, error) {
	st := state(c)
	if !clusters.CanPush(cl) {
		return clview.PushVM{State: clview.PushNotConfigured}, nil
	}
	p, ok, err := s.Deploy.PushState(c.UserContext(), st.access, cl.ID)
	if errors.Is(err, errs.ErrForbidden) {
		return clview.PushVM{State: clview.PushNever}, nil
	}
	if err != nil || !ok {
		return clview.PushVM{State: clview.PushNever}, err
	}
	vm := clview.PushVM{
		State: clview.PushConnected, LastAttempt: formatTime(p.LastAttemptAt), LastSuccess: formatTime(p.LastSuccessAt),
		LastError: p.LastError, ServerVersion: p.ServerVersion,
	}
	if !p.Connected {
		vm.State = clview.PushFailing
		if !p.NextRetryAt.IsZero() {
			vm.NextRetry = "at " + formatTime(p.NextRetryAt)
		}
	}
	if p.LastPushedDeploymentID != "" {
		if d, _, err := s.Deploy.Get(c.UserContext(), st.access, p.LastPushedDeploymentID); err == nil {
			vm.LastPushed, vm.LastPushedURL = fmt.Sprintf("#%d", d.Number), deploymentURL(cl.NamespaceID, d.ID)
		}
	}
	return vm, nil
}

func (s *server) clustersDelete(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	cl, err := s.Clusters.Get(c.UserContext(), st.access, id)
	if err != nil {
		return err
	}
	err = s.Clusters.Delete(c.UserContext(), st.access, id, c.FormValue("force") != "")
	switch {
	case errors.Is(err, errs.ErrConflict):
		st.sess.addFlash("error", errs.Reason(err))
		return redirect(c, clusterURL(st.namespace.ID, id))
	case err != nil:
		return err
	}
	st.sess.addFlash("success", "Cluster “"+cl.Name+"” deleted.")
	return redirect(c, clusterURL(st.namespace.ID, ""))
}

// clustersPush pushes the cluster's latest deployment now; the outcome is
// on the cluster's page.
func (s *server) clustersPush(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	if err := s.Deploy.PushNow(c.UserContext(), st.access, id); err != nil {
		return err
	}
	st.sess.addFlash("info", "Pushed the latest deployment; the push state below says how it went.")
	return redirect(c, clusterURL(st.namespace.ID, id))
}
