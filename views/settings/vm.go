package settings

import (
	"maps"
	"slices"
	"strconv"

	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// FormID is the settings form, which htmx swaps with its errors.
const FormID = "settings-form"

// PageVM is the settings page.
type PageVM struct {
	Action    string
	CSRFToken string
	// ReadOnly shows the settings without inputs to change them.
	ReadOnly bool
	// Saved says when the settings were last saved, "" when never.
	Saved     string
	Sections  []SectionVM
	Problems  []Problem
	FormError string
}

// SectionVM is one card of settings.
type SectionVM struct {
	ID       string
	Title    string
	Subtitle string
	Fields   []FieldVM
}

// FieldVM is one setting's input.
type FieldVM struct {
	FieldDef
	Value       string
	Placeholder string
	Error       string
	Options     []components.Option
	// SecretSet is the status of a KindSecret field.
	SecretSet bool
}

// Problem links the error summary to a failing field.
type Problem struct {
	Label   string
	Anchor  string
	Message string
}

// Input is what the page shows, by setting name: the text of each input,
// the default that applies while it is unset, its error, the choices of a
// KindChoice field and which secrets are set.
type Input struct {
	Values     map[string]string
	Defaults   map[string]string
	Errors     map[string]string
	Choices    map[string][]components.Option
	SecretsSet map[string]bool
}

// Build lays the catalog out with in; errors of fields the catalog lacks
// (e.g. of a whole patch) are listed in the summary under their name.
func Build(vm PageVM, in Input) PageVM {
	shown := map[string]bool{}
	for _, sec := range Catalog {
		s := SectionVM{ID: sec.ID, Title: sec.Title, Subtitle: sec.Subtitle}
		for _, def := range sec.Fields {
			shown[def.Name] = true
			f := FieldVM{FieldDef: def, Value: in.Values[def.Name], Error: in.Errors[def.Name], SecretSet: in.SecretsSet[def.Name]}
			f.Placeholder = placeholder(def.Kind, in.Defaults[def.Name])
			switch def.Kind {
			case KindChoice:
				f.Options = choose(in.Choices[def.Name], f.Value)
			case KindTriState:
				f.Options = choose([]components.Option{{Value: "true", Label: "On"}, {Value: "false", Label: "Off"}}, f.Value)
			}
			if f.Error != "" {
				vm.Problems = append(vm.Problems, Problem{Label: def.Label, Anchor: "#" + controlID(def.Name), Message: f.Error})
			}
			s.Fields = append(s.Fields, f)
		}
		vm.Sections = append(vm.Sections, s)
	}
	for _, name := range slices.Sorted(maps.Keys(in.Errors)) {
		if !shown[name] {
			vm.Problems = append(vm.Problems, Problem{Label: name, Message: in.Errors[name]})
		}
	}
	return vm
}

// placeholder words the default of an unset setting for its input.
func placeholder(k Kind, def string) string {
	switch {
	case k == KindSecret && def == "":
		return "Not set"
	case k == KindSecret:
		return "Not set: " + def
	case def == "":
		return ""
	case k == KindChoice || k == KindTriState:
		return "Default: " + def
	default:
		return def
	}
}

// choose marks the option of value selected; a stored value that is no
// longer among the choices is kept as an extra option, so saving the page
// never drops it silently.
func choose(options []components.Option, value string) []components.Option {
	out := make([]components.Option, 0, len(options)+1)
	found := value == ""
	for _, o := range options {
		o.Selected = o.Value == value && value != ""
		found = found || o.Selected
		out = append(out, o)
	}
	if !found {
		out = append(out, components.Option{Value: value, Label: value + " (unknown)", Selected: true})
	}
	return out
}

// controlID is the id components give the control of field name.
func controlID(name string) string { return "f-" + name }

// ClearSuffix names a secret's Clear checkbox after its input; it matches
// the settings service's form.
const ClearSuffix = ".clear"

// secretPlaceholder tells what typing into a secret's input does.
func (f FieldVM) secretPlaceholder() string {
	if f.SecretSet {
		return "Type a new value to replace the stored one"
	}
	return f.Placeholder
}

// aria ties a secret's input to its help and error.
func (f FieldVM) aria() templ.Attributes {
	a := templ.Attributes{"aria-describedby": controlID(f.Name) + "-help"}
	if f.Error != "" {
		a["aria-describedby"] = controlID(f.Name) + "-error " + controlID(f.Name) + "-help"
		a["aria-invalid"] = "true"
	}
	return a
}

// problemsTitle heads the error summary.
func problemsTitle(n int) string {
	if n == 1 {
		return "1 setting needs attention; nothing was saved."
	}
	return strconv.Itoa(n) + " settings need attention; nothing was saved."
}
