package sessions

import (
	"net/url"

	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ListTargetID is the element a search or sort re-renders.
const ListTargetID = "session-list"

// ListVM is one page of a cluster's sessions.
type ListVM struct {
	BaseURL     string
	ClusterName string
	// Notice explains why no session can be shown (no databroker, or an
	// unreachable one); the page shows it instead of the table.
	Notice    string
	Search    string
	UserID    string
	UserName  string // the filtered user, for the chip that clears the filter
	Sort      string
	Desc      bool
	Query     url.Values
	CanManage bool
	// ImpersonateDisabled, when set, says why the caller cannot
	// impersonate: impersonation changes their own Pomerium session, and
	// this sign-in (e.g. a recovery token) has none.
	ImpersonateDisabled string
	// Impersonation is set while the caller's own session impersonates
	// another; the page then shows a banner to stop it.
	Impersonation *Impersonation
	CSRFToken     string
	Rows          []Row
	Pager         components.PaginationProps
}

// Impersonation is the session the caller's own session acts as.
type Impersonation struct {
	SessionID string
	// UserName and UserEmail are empty when the session no longer exists.
	UserName  string
	UserEmail string
	StopURL   string
}

// Who names the impersonated user as the banner shows them.
func (i Impersonation) Who() string {
	switch {
	case i.UserName == "":
		return "a session that no longer exists"
	case i.UserEmail != "" && i.UserEmail != i.UserName:
		return i.UserName + " <" + i.UserEmail + ">"
	}
	return i.UserName
}

// Row is one session.
type Row struct {
	ID            string
	UserID        string
	UserName      string
	UserEmail     string
	UserURL       string // the list filtered to this user
	Groups        string
	Issuer        string
	Issued        string
	IssuedAgo     string
	Expires       string
	ExpiresIn     string
	Accessed      string
	AccessedAgo   string
	Expired       bool
	Impersonating string // the session this one impersonates
	// Own marks the caller's own Pomerium session, which cannot
	// impersonate itself.
	Own bool
	// ImpersonatedByYou marks the session the caller's own session acts as.
	ImpersonatedByYou bool
	RevokeURL         string
	ImpersonateURL    string
}

func (vm ListVM) sortHeader(label, key string) components.SortHeaderProps {
	return components.SortHeaderProps{Label: label, Key: key, Sort: vm.Sort, Desc: vm.Desc, BaseURL: vm.BaseURL, Query: vm.Query}
}

func (vm ListVM) subtitle() string {
	if vm.ClusterName == "" {
		return "Who is signed in through Pomerium."
	}
	return "Who is signed in through Pomerium in cluster “" + vm.ClusterName + "”. Revoking a session signs its user out of every route."
}

func (vm ListVM) empty() components.EmptyStateProps {
	if vm.Search != "" || vm.UserID != "" {
		return components.EmptyStateProps{Icon: "search", Title: "No session matches", Text: "Try another search, or clear the filters.", TestID: "sessions-empty"}
	}
	return components.EmptyStateProps{Icon: "sessions", Title: "No one is signed in",
		Text: "A session appears here when someone signs in through Pomerium to a route of this cluster.", TestID: "sessions-empty"}
}

func (r Row) revokeConfirm(vm ListVM, block bool) components.ConfirmProps {
	p := components.ConfirmProps{
		ID:           "revoke-" + r.ID,
		Trigger:      components.ButtonProps{Label: "Revoke", Small: true, Variant: components.VariantGhost, TestID: "revoke-" + r.ID + "-open"},
		Title:        "Revoke this session?",
		Message:      r.UserName + " is signed out of every route of this cluster and must sign in again.",
		Action:       r.RevokeURL,
		ConfirmLabel: "Revoke session",
		Danger:       true,
		CSRFToken:    vm.CSRFToken,
	}
	if block {
		p.ID = "block-" + r.ID
		p.Trigger = components.ButtonProps{Label: "Block user", Small: true, Variant: components.VariantGhost, TestID: "block-" + r.ID + "-open"}
		p.Title = "Revoke and block this user?"
		p.Message = "Every session of " + r.UserName + " is revoked, and the user is added to the enforced “Blocked users” policy, which keeps them out of every route once you deploy it."
		p.ConfirmLabel = "Revoke and block"
		p.Fields = []components.HiddenField{{Name: "block_user", Value: "on"}}
	}
	return p
}

// canImpersonate says whether the row offers impersonation: not the
// caller's own session, nor the one it already impersonates.
func (r Row) canImpersonate() bool {
	return !r.Own && !r.ImpersonatedByYou
}

func (r Row) impersonateConfirm(vm ListVM) components.ConfirmProps {
	return components.ConfirmProps{
		ID:      "impersonate-" + r.ID,
		Trigger: components.ButtonProps{Label: "Impersonate", Small: true, Variant: components.VariantGhost, TestID: "impersonate-" + r.ID + "-open"},
		Title:   "Impersonate " + r.UserName + "?",
		Message: "Pomerium will treat you as " + r.UserName + " on every route until you stop; the console keeps your own role. " +
			"You can stop from the banner at the top of this page.",
		Action:       r.ImpersonateURL,
		ConfirmLabel: "Impersonate",
		CSRFToken:    vm.CSRFToken,
	}
}

// impersonateDisabled is the Impersonate button of a sign-in that cannot
// impersonate, with the reason as its tooltip.
func (r Row) impersonateDisabled(reason string) components.ButtonProps {
	return components.ButtonProps{
		Label: "Impersonate", Small: true, Variant: components.VariantGhost, Type: "button", Disabled: true,
		TestID: "impersonate-" + r.ID + "-open", Attrs: templ.Attributes{"title": reason},
	}
}

func (vm ListVM) stopImpersonating() components.ButtonProps {
	return components.ButtonProps{Label: "Stop impersonating", Small: true, Variant: components.VariantPrimary, TestID: "impersonation-stop"}
}

// short abbreviates a long id for the table; the full id is its title.
func short(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:8] + "…"
}
