package policies

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

func (vm ListVM) actions() []components.ButtonProps {
	if !vm.CanCreate {
		return nil
	}
	return []components.ButtonProps{{Label: "Add policy", Icon: "plus", Variant: components.VariantPrimary, Href: vm.NewURL, TestID: "add-policy"}}
}

func (vm ListVM) empty() components.EmptyStateProps {
	e := components.EmptyStateProps{Icon: "policies", Title: "No policies"}
	if vm.Search != "" || vm.Enforced != "" {
		e.Text = "No policy matches these filters."
		return e
	}
	e.Text = "A policy is a set of PPL rules — who may reach a route, from where, when. Write the first one."
	if vm.CanCreate {
		e.Action = &components.ButtonProps{Label: "Add policy", Icon: "plus", Variant: components.VariantPrimary, Href: vm.NewURL}
	}
	return e
}

func enforcementBadge(enforced bool) components.BadgeProps {
	if enforced {
		return components.BadgeProps{Label: "Enforced", Tone: components.ToneAccent, Title: "Applies to every route of its namespace and children"}
	}
	return components.BadgeProps{Label: "Optional", Title: "Attached to routes one by one"}
}

func (vm DetailVM) facts() []components.DLItem {
	enforcement := "Optional: attached to routes one by one"
	if vm.Enforced {
		enforcement = "Enforced: applies to every route of the namespace and its children"
	}
	return []components.DLItem{
		{Term: "Namespace", Value: vm.NamespaceName},
		{Term: "Enforcement", Value: enforcement},
		{Term: "Description", Value: vm.Description},
		{Term: "Explanation", Value: vm.Explanation},
		{Term: "Remediation", Value: vm.Remediation},
		{Term: "Created", Value: vm.Created},
		{Term: "Modified", Value: vm.Modified},
		{Term: "Id", Value: vm.ID, Mono: true},
	}
}

func (vm DetailVM) scopeSentence() string {
	n := len(vm.Scope)
	where := "this namespace"
	switch {
	case n == 2:
		where = "this namespace and the one below it"
	case n > 2:
		where = fmt.Sprintf("this namespace and the %d below it", n-1)
	}
	if vm.Enforced {
		return "Enforced on every route in " + where + "."
	}
	return "Offered to the routes in " + where + "."
}

func (vm DetailVM) deleteModal() components.ConfirmProps {
	return components.ConfirmProps{
		// Not "delete-policy": that is the trigger's test id.
		ID:           "confirm-delete-policy",
		Trigger:      components.ButtonProps{Label: "Delete", Icon: "trash", Variant: components.VariantDanger, TestID: "delete-policy"},
		Title:        "Delete policy “" + vm.Name + "”?",
		Message:      "Routes stop using its rules at the next deployment. A policy still attached to routes cannot be deleted.",
		Action:       vm.DeleteURL,
		ConfirmLabel: "Delete policy",
		Danger:       true,
		CSRFToken:    vm.CSRFToken,
	}
}

func (vm FormVM) submitLabel() string {
	if vm.IsEdit {
		return "Save policy"
	}
	return "Create policy"
}

func problemCount(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return strconv.Itoa(n) + " problems"
}

// operatorChoices say in words what each PPL operator does (Core's meaning:
// not = none of them, nor = not all of them).
var operatorChoices = []struct{ value, label string }{
	{"and", "all of (and)"},
	{"or", "any of (or)"},
	{"not", "none of (not)"},
	{"nor", "not all of (nor)"},
}

// idOf turns an input name into an id ("b.r0.g1" → "pb-r0-g1").
func idOf(prefix string) string {
	return "pb-" + strings.ReplaceAll(strings.TrimPrefix(prefix, BuilderPrefix), ".", "-")
}

func (r RowVM) valueHint() string {
	switch r.Matcher {
	case "in", "not_in":
		return "a, b, c"
	}
	return "value"
}
