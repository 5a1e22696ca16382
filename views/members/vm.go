// Package members renders who holds which role on a namespace and the form
// that grants a role.
package members

import "github.com/pomerium-console-oss/pomerium-console/views/components"

// PageVM is the members page of one namespace.
type PageVM struct {
	NamespaceName string
	CanManage     bool
	CSRFToken     string
	Members       []Row
	Form          GrantFormVM
}

// Row is one grant. InheritedFrom names the ancestor it was made on.
type Row struct {
	SubjectType   string
	SubjectID     string
	UserName      string
	UserEmail     string
	Role          string
	InheritedFrom string
	CanRevoke     bool
	RevokeURL     string
}

// GrantFormVM is the grant form.
type GrantFormVM struct {
	Action      string
	LookupURL   string
	CSRFToken   string
	SubjectType string
	SubjectID   string
	Role        string
	Roles       []RoleOption
	Errors      map[string]string
	FormError   string
}

// RoleOption is one role with what it allows.
type RoleOption struct {
	Value       string
	Label       string
	Description string
}

// Suggestion is one known user offered while typing a subject.
type Suggestion struct {
	Value string
	Label string
}

// suggestionsID ties the subject input to its datalist.
const suggestionsID = "subject-suggestions"

func (vm GrantFormVM) subjectTypes() []components.Option {
	return []components.Option{
		{Value: "user", Label: "User", Selected: vm.SubjectType != "group"},
		{Value: "group", Label: "Group", Selected: vm.SubjectType == "group"},
	}
}

func (vm GrantFormVM) roleOptions() []components.Option {
	out := make([]components.Option, 0, len(vm.Roles))
	for _, r := range vm.Roles {
		out = append(out, components.Option{Value: r.Value, Label: r.Label + " — " + r.Description, Selected: r.Value == vm.Role})
	}
	return out
}

func (r Row) subjectIcon() string {
	if r.SubjectType == "group" {
		return "users"
	}
	return "user"
}

func (r Row) revokeModal(csrf string) components.ConfirmProps {
	return components.ConfirmProps{
		ID:           "revoke-" + r.SubjectType + "-" + r.SubjectID,
		Trigger:      components.ButtonProps{Label: "Revoke", Small: true, Variant: components.VariantGhost, TestID: "revoke-" + r.SubjectID},
		Title:        "Revoke access?",
		Message:      "The " + r.SubjectType + " " + r.SubjectID + " loses the " + r.Role + " role here and in every child namespace (unless granted elsewhere).",
		Action:       r.RevokeURL,
		ConfirmLabel: "Revoke",
		Danger:       true,
		CSRFToken:    csrf,
	}
}

func roleTone(role string) components.Tone {
	switch role {
	case "Admin":
		return components.ToneAccent
	case "Manager":
		return components.ToneInfo
	}
	return components.ToneNeutral
}
