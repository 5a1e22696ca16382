package web

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	depview "github.com/pomerium-console-oss/pomerium-console/views/deployments"
)

// maxHunks bounds how many hunks of a diff a page shows.
const maxHunks = 200

// deploymentsCompare is compareChangesets: firstId against secondId (a
// deployment id or "pending"). Without firstId, the deployment before
// secondId is compared.
func (s *server) deploymentsCompare(c *fiber.Ctx) error {
	st := state(c)
	from, to := c.Query("firstId"), c.Query("secondId")
	if to == "" {
		return errs.Field("secondId", errs.CodeRequired, "choose the deployment to compare")
	}
	if from == "" {
		if to == deploy.PendingID {
			return errs.Field("firstId", errs.CodeRequired, "choose the deployment to compare the pending changes with")
		}
		d, _, err := s.Deploy.Get(c.UserContext(), st.access, to)
		if err != nil {
			return err
		}
		prev, ok, err := s.Deploy.Previous(c.UserContext(), st.access, d)
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("deployment #%d is the first: there is nothing before it to compare with", d.Number)
		}
		from = prev.ID
	}
	cmp, err := s.Deploy.Compare(c.UserContext(), st.access, from, to)
	if err != nil {
		return err
	}
	base := deploymentURL(st.namespace.ID, "")
	vm := depview.CompareVM{
		From: deploymentRow(st.namespace.ID, cmp.From), Action: base + "/compare", FromID: from, ToID: to,
		Changes: changeVMs(c, cmp.Changes), ListURL: base,
	}
	if to == deploy.PendingID {
		vm.To = depview.Row{Number: "pending changes", Status: "pending"}
	} else {
		vm.To = deploymentRow(st.namespace.ID, cmp.To)
	}
	vm.Diff = diffVM(c, cmp, vm.From.Number, vm.To.Number)
	if vm.Cluster, err = s.clusterVM(c, cmp.Cluster); err != nil {
		return err
	}
	page, err := s.Deploy.List(c.UserContext(), st.access, cmp.Cluster.ID, 0)
	if err != nil {
		return err
	}
	vm.Choices = append(vm.Choices, components.Option{Value: deploy.PendingID, Label: "Pending changes"})
	for _, d := range page.Deployments {
		vm.Choices = append(vm.Choices, components.Option{Value: d.ID, Label: fmt.Sprintf("#%d %s", d.Number, d.Message)})
	}
	return s.page(c, fiber.StatusOK, "Compare deployments", deploymentsSection, depview.ComparePage(vm))
}

// diffVM lays out a comparison's text diff in the view the query asks for
// (?view=split or unified), with links to switch.
func diffVM(c *fiber.Ctx, cmp deploy.Comparison, fromName, toName string) depview.DiffVM {
	view := depview.ViewUnified
	if c.Query("view") == depview.ViewSplit {
		view = depview.ViewSplit
	}
	link := func(v string) string {
		vals := url.Values{}
		for _, k := range []string{"firstId", "secondId"} {
			if x := c.Query(k); x != "" {
				vals.Set(k, x)
			}
		}
		vals.Set("view", v)
		return c.Path() + "?" + vals.Encode()
	}
	vm := depview.DiffVM{
		View: view, UnifiedURL: link(depview.ViewUnified), SplitURL: link(depview.ViewSplit),
		FromName: fromName + "/config.yaml", ToName: toName + "/config.yaml", Added: cmp.Diff.Added, Removed: cmp.Diff.Removed,
	}
	hunks := cmp.Diff.Hunks
	if len(hunks) > maxHunks {
		vm.Truncated, hunks = len(hunks)-maxHunks, hunks[:maxHunks]
	}
	for _, h := range hunks {
		hv := depview.HunkVM{Header: h.Header()}
		if view == depview.ViewSplit {
			for _, r := range h.SideBySide() {
				hv.Rows = append(hv.Rows, depview.SplitRowVM{Left: cellVM(r.Left), Right: cellVM(r.Right)})
			}
		} else {
			for _, l := range h.Lines {
				hv.Lines = append(hv.Lines, depview.LineVM{Op: string(l.Op), Old: lineNum(l.Old), New: lineNum(l.New), Text: l.Text})
			}
		}
		vm.Hunks = append(vm.Hunks, hv)
	}
	return vm
}

func cellVM(cell deploy.Cell) depview.CellVM {
	if cell.Num == 0 {
		return depview.CellVM{}
	}
	return depview.CellVM{Op: string(cell.Op), Num: lineNum(cell.Num), Text: cell.Text}
}

func lineNum(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
