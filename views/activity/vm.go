// Package activity renders the activity log and one entry with its
// before/after values.
package activity

import (
	"net/url"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// TableTargetID is the element a filter change re-renders.
const TableTargetID = "activity-table"

// ListVM is one page of the log with its filters.
type ListVM struct {
	BaseURL string
	Filters FilterVM
	Entries []EntryRow
	Pager   components.PaginationProps
	// Query holds the active filters, kept by pagination links.
	Query url.Values
}

// FilterVM is the filter bar.
type FilterVM struct {
	ActivityType       string
	EntityType         string
	EntityID           string
	UserID             string
	IncludeDescendants bool
	EntityTypes        []string
	Users              []UserOption
	// ChangesetID keeps the entries of one changeset; ChangesetLabel names
	// it and ChangesetClearURL drops that filter.
	ChangesetID       string
	ChangesetLabel    string
	ChangesetClearURL string
}

// UserOption is one person in the user filter.
type UserOption struct {
	ID    string
	Label string
}

// EntryRow is one entry as the table shows it.
type EntryRow struct {
	ID            string
	When          string
	WhenISO       string
	User          string
	UserID        string
	AuthMethod    string
	ActivityType  string
	EntityType    string
	EntityID      string
	EntityName    string
	NamespaceName string
	URL           string
}

// DetailVM is one entry with the entity before and after.
type DetailVM struct {
	Entry   EntryRow
	Before  string
	After   string
	BackURL string
}

func (f FilterVM) activityOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "Any action"}}
	for _, a := range []string{"create", "update", "delete"} {
		opts = append(opts, components.Option{Value: a, Label: a, Selected: f.ActivityType == a})
	}
	return opts
}

func (f FilterVM) entityOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "Any entity"}}
	for _, e := range f.EntityTypes {
		opts = append(opts, components.Option{Value: e, Label: entityLabel(e), Selected: f.EntityType == e})
	}
	return opts
}

func (f FilterVM) userOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "Anyone"}}
	for _, u := range f.Users {
		opts = append(opts, components.Option{Value: u.ID, Label: u.Label, Selected: f.UserID == u.ID})
	}
	return opts
}

func actionTone(activityType string) components.Tone {
	switch activityType {
	case "create":
		return components.ToneSuccess
	case "delete":
		return components.ToneDanger
	}
	return components.ToneInfo
}

func (e EntryRow) facts() []components.DLItem {
	return []components.DLItem{
		{Term: "When", Value: e.When + " (" + e.WhenISO + ")"},
		{Term: "Who", Value: e.User},
		{Term: "User id", Value: e.UserID, Mono: true},
		{Term: "Signed in with", Value: authLabel(e.AuthMethod)},
		{Term: "Action", Value: e.ActivityType},
		{Term: "Entity", Value: entityLabel(e.EntityType) + " “" + e.EntityName + "”"},
		{Term: "Entity id", Value: e.EntityID, Mono: true},
		{Term: "Namespace", Value: e.NamespaceName},
	}
}

// entityLabels name entity types for people; unknown types show as stored.
var entityLabels = map[string]string{
	"namespace":            "Namespace",
	"namespace_permission": "Member grant",
	"policy":               "Policy",
	"key_pair":             "Key pair",
	"route":                "Route",
	"settings":             "Settings",
	"cluster":              "Cluster",
	"changeset":            "Changeset",
	"session":              "Session",
	"device":               "Device",
	"device_type":          "Device type",
}

func entityLabel(entityType string) string {
	if l, ok := entityLabels[entityType]; ok {
		return l
	}
	return entityType
}

var authLabels = map[string]string{
	"pomerium":        "Pomerium",
	"recovery":        "Recovery token",
	"service_account": "Service account",
}

func authLabel(method string) string {
	if l, ok := authLabels[method]; ok {
		return l
	}
	return method
}

// title reads as a sentence: "Namespace “Engineering” created".
func (e EntryRow) title() string {
	return entityLabel(e.EntityType) + " “" + e.EntityName + "” " + e.ActivityType + "d"
}
