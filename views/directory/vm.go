package directory

import (
	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ListTargetID is the element the search re-renders.
const ListTargetID = "user-list"

// ListVM is one page of users.
type ListVM struct {
	BaseURL     string
	ClusterName string
	// Notice says why only the console's own users are listed.
	Notice string
	Search string
	Rows   []Row
	Pager  components.PaginationProps
}

// Row is one user.
type Row struct {
	ID          string
	Name        string
	Email       string
	Groups      string
	Sources     []string // "Console", "Pomerium", "Directory"
	Roles       []Role
	SessionsURL string
	DevicesURL  string
}

// Role is the role a user holds on one namespace.
type Role struct {
	Namespace string
	Role      string
}

func (vm ListVM) empty() components.EmptyStateProps {
	if vm.Search != "" {
		return components.EmptyStateProps{Icon: "search", Title: "No user matches", Text: "Search by name, e-mail, id or claim.", TestID: "users-empty"}
	}
	return components.EmptyStateProps{Icon: "users", Title: "No users yet", TestID: "users-empty",
		Text: "Users appear when they sign in through Pomerium, or when directory sync imports them."}
}

func (vm ListVM) subtitle() string {
	return "People who signed in to the console or through Pomerium in cluster “" + vm.ClusterName + "”, and directory users, with the roles they hold."
}
