package rbac

import "fmt"

// Role is a level of access to a namespace; a higher role includes the lower ones.
type Role int

// Roles, weakest first. RoleNone means the namespace is not visible at all.
const (
	RoleNone Role = iota
	RoleGuest
	RoleViewer
	RoleManager
	RoleAdmin
)

var roleNames = map[Role]string{
	RoleGuest:   "guest",
	RoleViewer:  "viewer",
	RoleManager: "manager",
	RoleAdmin:   "admin",
}

// AssignableRoles lists the roles that can be granted, strongest first.
var AssignableRoles = []Role{RoleAdmin, RoleManager, RoleViewer, RoleGuest}

// ParseRole reads a stored or submitted role name.
func ParseRole(s string) (Role, error) {
	for r, name := range roleNames {
		if name == s {
			return r, nil
		}
	}
	return RoleNone, fmt.Errorf("unknown role %q (expected admin, manager, viewer or guest)", s)
}

// String returns the stored name ("admin"), or "none".
func (r Role) String() string {
	if name, ok := roleNames[r]; ok {
		return name
	}
	return "none"
}

// Title returns the name shown in the UI ("Admin").
func (r Role) Title() string {
	s := r.String()
	return string(s[0]-'a'+'A') + s[1:]
}

// Describe says in one sentence what the role allows, for the members page.
func (r Role) Describe() string {
	switch r {
	case RoleAdmin:
		return "Everything, including members and namespace structure."
	case RoleManager:
		return "Edit routes, policies, certificates, data sources and service accounts."
	case RoleViewer:
		return "Read everything, change nothing."
	case RoleGuest:
		return "Sees only that the namespace exists."
	}
	return "No access."
}
