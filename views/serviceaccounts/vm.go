package serviceaccounts

import "github.com/pomerium-console-oss/pomerium-console/views/components"

// Identity choices of the add form.
const (
	IdentityUnique = "unique"
	IdentityUser   = "user"
)

// Dialog ids, unique on the page.
const (
	addDialogID   = "add-sa"
	tokenDialogID = "sa-token"
	dialogsID     = "sa-dialogs"
	listID        = "sa-list"
	suggestionsID = "sa-user-suggestions"
)

// PageVM is the Service Accounts page of one namespace.
type PageVM struct {
	NamespaceName string
	CanManage     bool
	CSRFToken     string
	// MembersURL is where roles are granted to an account's user id.
	MembersURL string
	// NewURL opens the add dialog without JavaScript.
	NewURL string
	List   ListVM
	// Dialogs are the add dialog and, right after a create, the token.
	Dialogs DialogsVM
}

// ListVM is the table of accounts, swapped alone after a create.
type ListVM struct {
	Rows []Row
	// WithChildren lists the accounts of child namespaces too, with a
	// namespace column; ToggleURL switches it.
	WithChildren bool
	ToggleURL    string
	CanManage    bool
	NewURL       string
	CSRFToken    string
}

// Row is one account.
type Row struct {
	ID            string
	UserID        string
	Description   string
	NamespaceName string
	Created       string
	Expires       string
	LastUsed      string
	Status        string // "active", "expired" or "revoked"
	Sync          string // "synced", "pending" or "failed"
	SyncDetail    string // the last push error and the next attempt
	CanRevoke     bool
	RevokeURL     string
}

// DialogsVM is the add dialog, open when it comes back with errors, and
// the token of the account just created.
type DialogsVM struct {
	Form     FormVM
	OpenForm bool
	Created  *CreatedVM
}

// Suggestion is one known user offered while typing a user id.
type Suggestion struct {
	Value string
	Label string
}

// CreatedVM is an account just created with its token, shown once.
type CreatedVM struct {
	UserID string
	Token  string
}

// FormVM is the add form.
type FormVM struct {
	Action      string
	LookupURL   string
	CSRFToken   string
	Identity    string
	UserID      string
	Description string
	ExpiresAt   string
	// UniqueExample shows the user id a unique account gets here.
	UniqueExample string
	// Zone names the time zone the expiry is read in.
	Zone string
	// CanImpersonate offers a chosen user id: only admins may make an
	// account that acts as an existing user.
	CanImpersonate bool
	Errors         map[string]string
	FormError      string
}

func (vm FormVM) identities() []components.Option {
	return []components.Option{
		{Value: IdentityUnique, Label: "A new unique id (" + vm.UniqueExample + ")", Selected: vm.Identity != IdentityUser},
		{Value: IdentityUser, Label: "An existing user, or an id of your choice", Selected: vm.Identity == IdentityUser},
	}
}

func (r Row) statusBadge() components.BadgeProps {
	switch r.Status {
	case "expired":
		return components.BadgeProps{Label: "Expired", Tone: components.ToneWarning, Title: "Its token is refused since " + r.Expires}
	case "revoked":
		return components.BadgeProps{Label: "Revoked", Title: "Its token is refused"}
	}
	return components.BadgeProps{Label: "Active", Tone: components.ToneSuccess}
}

func (r Row) syncBadge() components.BadgeProps {
	switch r.Sync {
	case "failed":
		return components.BadgeProps{Label: "Sync failed", Tone: components.ToneDanger, Title: r.SyncDetail}
	case "pending":
		return components.BadgeProps{Label: "Sync pending", Tone: components.ToneInfo, Title: "Being written to Pomerium's databroker"}
	}
	return components.BadgeProps{Label: "Synced", Tone: components.ToneNeutral, Title: "Pomerium's databroker has this account as shown"}
}

func (r Row) name() string {
	if r.Description != "" {
		return r.Description
	}
	return r.UserID
}

func (r Row) revokeModal(csrf string) components.ConfirmProps {
	return components.ConfirmProps{
		ID:           "revoke-" + r.ID,
		Trigger:      components.ButtonProps{Label: "Revoke", Small: true, Variant: components.VariantGhost, TestID: "revoke-" + r.ID},
		Title:        "Revoke service account?",
		Message:      "The token of “" + r.name() + "” stops working in the console at once, and in Pomerium as soon as its databroker has the change. This cannot be undone.",
		Action:       r.RevokeURL,
		ConfirmLabel: "Revoke",
		Danger:       true,
		CSRFToken:    csrf,
	}
}

func (vm ListVM) addButton() components.ButtonProps {
	return components.ButtonProps{
		Label: "Add service account", Icon: "plus", Variant: components.VariantPrimary, Href: vm.NewURL, TestID: "add-sa",
		Attrs: map[string]any{"data-modal-open": addDialogID, "aria-haspopup": "dialog"},
	}
}

func (vm CreatedVM) secret() components.SecretProps {
	return components.SecretProps{
		ID: tokenDialogID, Title: "Service account added", Label: "Token (JWT) of " + vm.UserID, Value: vm.Token, Open: true,
		Note: "Copy it now and keep it somewhere safe: you will not see it again. The service sends it as " +
			"\"Authorization: Pomerium <token>\"; grant its user id roles on the Members page.",
	}
}
