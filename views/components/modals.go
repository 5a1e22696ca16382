package components

// HiddenField is a name/value pair posted with a form.
type HiddenField struct {
	Name  string
	Value string
}

// ConfirmProps describes a dangerous action behind a confirmation dialog: the trigger button opens
// a <dialog> that says what will happen and holds the POST form that does it.
type ConfirmProps struct {
	ID           string      // dialog id, unique on the page
	Trigger      ButtonProps // the button that opens the dialog; its ModalID is set for you
	Title        string      // e.g. "Delete route?"
	Message      string      // names what will happen, e.g. "The route app.example.com stops working."
	Action       string      // URL the form posts to
	ConfirmLabel string      // defaults to "Confirm"
	Danger       bool        // red confirm button
	CSRFToken    string
	Fields       []HiddenField
	HXTarget     string // when set, the form posts with htmx into this target instead of navigating
	HXSwap       string // htmx swap style for HXTarget; defaults to htmx's own default
}

func (p ConfirmProps) trigger() ButtonProps {
	t := p.Trigger
	t.ModalID = p.ID
	t.Type = "button"
	return t
}

func (p ConfirmProps) confirmButton() ButtonProps {
	b := ButtonProps{Label: p.ConfirmLabel, Variant: VariantPrimary, TestID: p.ID + "-confirm"}
	if b.Label == "" {
		b.Label = "Confirm"
	}
	if p.Danger {
		b.Variant = VariantDanger
	}
	return b
}

// SecretProps describes a value shown once, such as a service account's token or a recovery token.
type SecretProps struct {
	ID    string
	Title string
	Label string // label of the field, e.g. "Token"
	Value string
	Note  string // defaults to a warning that the value will not be shown again
	Open  bool   // open as soon as the page loads (the usual case, right after creation)
}

func (p SecretProps) note() string {
	if p.Note == "" {
		return "Copy it now and keep it somewhere safe: you will not see this again."
	}
	return p.Note
}

func (p SecretProps) label() string {
	if p.Label == "" {
		return "Secret"
	}
	return p.Label
}
