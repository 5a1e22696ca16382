package sessions

import (
	"net/url"

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
	CSRFToken string
	Rows      []Row
	Pager     components.PaginationProps
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
	RevokeURL     string
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

// short abbreviates a long id for the table; the full id is its title.
func short(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:8] + "…"
}
