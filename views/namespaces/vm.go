// Package namespaces renders the namespace tree and the namespace form.
package namespaces

import (
	"strconv"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// TreeTargetID is the element a search re-renders.
const TreeTargetID = "ns-tree"

// ListVM is the namespaces page.
type ListVM struct {
	CurrentID string
	Query     string
	SearchURL string
	CanCreate bool
	NewURL    string
	CSRFToken string
	Rows      []Row
}

// Row is one namespace of the tree. Rows with Accessible false are ancestors
// shown only to keep the tree readable.
type Row struct {
	ID          string
	Name        string
	Depth       int
	Role        string
	Accessible  bool
	Current     bool
	Children    int
	URL         string
	MembersURL  string
	CanAddChild bool
	NewChildURL string
	CanEdit     bool
	EditURL     string
	CanDelete   bool
	DeleteURL   string
}

// FormVM is the create / edit namespace form.
type FormVM struct {
	Title     string
	Action    string
	CancelURL string
	CSRFToken string
	IsEdit    bool
	Name      string
	ParentID  string
	Parents   []ParentOption
	Errors    map[string]string
	FormError string
}

// ParentOption is one possible parent; Disabled where the caller is not an admin.
type ParentOption struct {
	ID       string
	Name     string
	Depth    int
	Disabled bool
}

func (r Row) childrenLabel() string {
	switch r.Children {
	case 0:
		return "—"
	case 1:
		return "1 namespace"
	}
	return strconv.Itoa(r.Children) + " namespaces"
}

func (r Row) deleteModal(csrf string) components.ConfirmProps {
	return components.ConfirmProps{
		ID:           "delete-" + r.ID,
		Trigger:      components.ButtonProps{Label: "Delete " + r.Name, Icon: "trash", IconOnly: true, Small: true, Variant: components.VariantGhost, TestID: "delete-" + r.Name},
		Title:        "Delete namespace “" + r.Name + "”?",
		Message:      "The namespace and its member grants are removed. A namespace that still has child namespaces or resources cannot be deleted.",
		Action:       r.DeleteURL,
		ConfirmLabel: "Delete namespace",
		Danger:       true,
		CSRFToken:    csrf,
	}
}

func (vm ListVM) emptyText() string {
	if vm.Query != "" {
		return "No namespace matches “" + vm.Query + "”."
	}
	return "You have no role on any namespace."
}

func (vm FormVM) parentOptions() []components.Option {
	out := make([]components.Option, 0, len(vm.Parents))
	for _, p := range vm.Parents {
		out = append(out, components.Option{Value: p.ID, Label: p.Name, Depth: p.Depth, Disabled: p.Disabled, Selected: p.ID == vm.ParentID})
	}
	return out
}

func (vm FormVM) submitLabel() string {
	if vm.IsEdit {
		return "Save namespace"
	}
	return "Create namespace"
}

func (vm ListVM) actions() []components.ButtonProps {
	if !vm.CanCreate {
		return nil
	}
	return []components.ButtonProps{{Label: "Add namespace", Icon: "plus", Variant: components.VariantPrimary, Href: vm.NewURL, TestID: "add-namespace"}}
}

// roleTone colours a role badge; the role name is always written too.
func roleTone(role string) components.Tone {
	switch role {
	case "Admin":
		return components.ToneAccent
	case "Manager":
		return components.ToneInfo
	}
	return components.ToneNeutral
}
