package namespaces

import "github.com/pomerium-console-oss/pomerium-console/db"

// MaxNameLength caps names as the REST reference does.
const MaxNameLength = 128

// CreateInput is a new namespace under ParentID.
type CreateInput struct {
	ParentID string
	Name     string
}

// UpdateInput renames and/or moves a namespace; nil fields stay as they are.
type UpdateInput struct {
	Name     *string
	ParentID *string
}

// Patch applies the set fields of u to ns.
func (u UpdateInput) Patch(ns db.Namespace) db.Namespace {
	if u.Name != nil {
		ns.Name = *u.Name
	}
	if u.ParentID != nil {
		ns.ParentID = *u.ParentID
	}
	return ns
}

// snapshot is the shape of a namespace in the activity log.
type snapshot struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ParentID   string `json:"parentId,omitempty"`
	ParentName string `json:"parentName,omitempty"`
}
