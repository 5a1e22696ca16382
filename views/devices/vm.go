package devices

import (
	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ListVM is a cluster's devices.
type ListVM struct {
	BaseURL     string
	EnrollURL   string
	ClusterName string
	// Notice explains why no device can be shown.
	Notice    string
	CanManage bool
	CSRFToken string
	Chips     []components.Chip
	Rows      []Row
}

// Row is one device or pending enrollment.
type Row struct {
	ID          string // credential id, or enrollment id when pending
	UserName    string
	UserEmail   string
	TypeName    string
	Kind        string
	Status      string // StatusApproved, StatusUnapproved or StatusPending
	Enrolled    string
	EnrolledAgo string
	ApprovedBy  string
	UserAgent   string
	ApproveURL  string
	DeleteURL   string
	// Field is the form field naming the device: credential_id or enrollment_id.
	Field string
}

// Device statuses.
const (
	StatusApproved   = "approved"
	StatusUnapproved = "unapproved"
	StatusPending    = "pending"
)

func (r Row) badge() components.BadgeProps {
	switch r.Status {
	case StatusApproved:
		return components.BadgeProps{Label: "Approved", Tone: components.ToneSuccess, Title: "Approved by " + r.ApprovedBy}
	case StatusPending:
		return components.BadgeProps{Label: "Waiting for the device", Tone: components.ToneInfo, Title: "The enrollment link was not used yet"}
	}
	return components.BadgeProps{Label: "Not approved", Tone: components.ToneWarning, Title: "Policies with device: {approved: true} refuse it"}
}

func (r Row) deleteConfirm(vm ListVM) components.ConfirmProps {
	msg := "The device of " + r.UserName + " is removed; policies that require it refuse its user until a device is enrolled again."
	title := "Delete this device?"
	if r.Status == StatusPending {
		title, msg = "Cancel this enrollment?", "The enrollment link for "+r.UserName+" stops working."
	}
	return components.ConfirmProps{
		ID:           "delete-" + r.ID,
		Trigger:      components.ButtonProps{Label: "Delete", Small: true, Variant: components.VariantGhost, TestID: "delete-" + r.ID + "-open"},
		Title:        title,
		Message:      msg,
		Action:       r.DeleteURL,
		ConfirmLabel: "Delete",
		Danger:       true,
		CSRFToken:    vm.CSRFToken,
		Fields:       []components.HiddenField{{Name: r.Field, Value: r.ID}},
	}
}

func (vm ListVM) actions() []components.ButtonProps {
	if !vm.CanManage || vm.Notice != "" {
		return nil
	}
	return []components.ButtonProps{{Label: "New enrollment link", Variant: components.VariantPrimary, Icon: "plus", Href: vm.EnrollURL, TestID: "new-enrollment"}}
}

func (vm ListVM) subtitle() string {
	return "WebAuthn devices (security keys, platform authenticators) users enrolled in cluster “" + vm.ClusterName +
		"”. Policies use them with the device criterion; an approved device passes device: {approved: true}."
}

// EnrollVM is the form that makes an enrollment link, and the link once made.
type EnrollVM struct {
	Action    string
	CancelURL string
	CSRFToken string
	UserID    string
	TypeID    string
	RouteURL  string
	Types     []components.Option
	Users     []components.Option // known users, offered as suggestions
	Errors    map[string]string
	FormError string
	// Link is the signed enrollment URL, shown once after creation.
	Link      string
	LinkUntil string
	ForUser   string
}

// short abbreviates a long id for the table; the full id is its title.
func short(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:8] + "…"
}
