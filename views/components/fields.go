package components

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// CSRFFieldName is the form field that carries the CSRF token; htmx requests send the same token
// in the X-CSRF-Token header instead (see assets/app.js).
const CSRFFieldName = "_csrf"

// FieldProps describes a labelled text input or textarea with its help and error text.
type FieldProps struct {
	Name         string
	Label        string
	Value        string
	Help         string // one sentence under the input
	Placeholder  string // for optional values: Pomerium Core's default
	Error        string // shown under the input, which is then marked aria-invalid
	ID           string // defaults to "f-" + Name
	Type         string // input type; defaults to "text"
	Required     bool
	Autofocus    bool
	Readonly     bool
	MaxLength    int
	Rows         int // textarea rows; defaults to 4
	Autocomplete string
	Attrs        templ.Attributes // extra attributes for the control, e.g. hx-* for inline checks
}

// SelectProps describes a labelled <select>.
type SelectProps struct {
	Name        string
	Label       string
	Help        string
	Error       string
	ID          string
	Required    bool
	Placeholder string // when set, a first option with an empty value, e.g. "Choose a namespace"
	Options     []Option
	Attrs       templ.Attributes
}

// Option is one choice of a select; Depth indents it, for namespace trees.
type Option struct {
	Value    string
	Label    string
	Selected bool
	Disabled bool
	Depth    int
}

// CheckboxProps describes a checkbox with its label to the right and help under it.
type CheckboxProps struct {
	Name     string
	Label    string
	Help     string
	Error    string
	ID       string
	Value    string // submitted value; defaults to "true"
	Checked  bool
	Disabled bool
}

// fieldIDs are the ids that tie a control to its help and error text.
type fieldIDs struct {
	control, help, err string
}

func newFieldIDs(id, name, help, errText string) fieldIDs {
	if id == "" {
		id = "f-" + name
	}
	ids := fieldIDs{control: id}
	if help != "" {
		ids.help = id + "-help"
	}
	if errText != "" {
		ids.err = id + "-error"
	}
	return ids
}

// ariaAttrs returns a copy of extra with the attributes that tie a control to its help and error:
// aria-describedby lists the error first so that screen readers announce it before the help.
func (ids fieldIDs) ariaAttrs(extra templ.Attributes) templ.Attributes {
	a := templ.Attributes{}
	for k, v := range extra {
		a[k] = v
	}
	if d := joinIDs(ids.err, ids.help); d != "" {
		a["aria-describedby"] = d
	}
	if ids.err != "" {
		a["aria-invalid"] = "true"
	}
	return a
}

func (p FieldProps) ids() fieldIDs { return newFieldIDs(p.ID, p.Name, p.Help, p.Error) }

func (p FieldProps) inputType() string {
	if p.Type == "" {
		return "text"
	}
	return p.Type
}

func (p FieldProps) rows() string {
	if p.Rows <= 0 {
		return "4"
	}
	return strconv.Itoa(p.Rows)
}

// controlAttrs gathers the optional attributes of an input or textarea.
func (p FieldProps) controlAttrs() templ.Attributes {
	a := p.ids().ariaAttrs(p.Attrs)
	if p.Placeholder != "" {
		a["placeholder"] = p.Placeholder
	}
	if p.MaxLength > 0 {
		a["maxlength"] = strconv.Itoa(p.MaxLength)
	}
	if p.Autocomplete != "" {
		a["autocomplete"] = p.Autocomplete
	}
	return a
}

func (p SelectProps) ids() fieldIDs { return newFieldIDs(p.ID, p.Name, p.Help, p.Error) }

func (p SelectProps) controlAttrs() templ.Attributes { return p.ids().ariaAttrs(p.Attrs) }

// label indents by depth with non-breaking spaces: <option> ignores padding in most browsers.
func (o Option) label() string {
	if o.Depth <= 0 {
		return o.Label
	}
	return strings.Repeat("\u00a0\u00a0\u00a0", o.Depth) + o.Label
}

func (p CheckboxProps) ids() fieldIDs { return newFieldIDs(p.ID, p.Name, p.Help, p.Error) }

func (p CheckboxProps) value() string {
	if p.Value == "" {
		return "true"
	}
	return p.Value
}

// joinIDs joins the non-empty ids with spaces, for aria-describedby.
func joinIDs(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}
