package routes

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

func (vm ListVM) actions() []components.ButtonProps {
	if !vm.CanCreate {
		return nil
	}
	return []components.ButtonProps{
		{Label: "Import config.yaml", Icon: "upload", Href: vm.ImportURL, TestID: "import-config"},
		{Label: "Add route", Icon: "plus", Variant: components.VariantPrimary, Href: vm.NewURL, TestID: "add-route"},
	}
}

func (vm ListVM) empty() components.EmptyStateProps {
	e := components.EmptyStateProps{Icon: "routes", Title: "No routes"}
	if vm.Search != "" {
		e.Text = "No route matches this search."
		return e
	}
	e.Text = "A route sends the requests of an external URL to an upstream, a redirect or a fixed response, once its policies allow them. Add the first one."
	if vm.CanCreate {
		e.Action = &components.ButtonProps{Label: "Add route", Icon: "plus", Variant: components.VariantPrimary, Href: vm.NewURL}
	}
	return e
}

func (vm ListVM) dir() string {
	if vm.Desc {
		return "desc"
	}
	return "asc"
}

func (vm ListVM) sortHeader(label, key string) components.SortHeaderProps {
	sortKey := vm.Sort
	if sortKey == "" {
		sortKey = "name"
	}
	return components.SortHeaderProps{Label: label, Key: key, Sort: sortKey, Desc: vm.Desc, BaseURL: vm.BaseURL, Query: vm.Query}
}

func policyCount(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

func (vm DetailVM) deleteModal() components.ConfirmProps {
	return components.ConfirmProps{
		ID:           "delete-route",
		Trigger:      components.ButtonProps{Label: "Delete", Icon: "trash", Variant: components.VariantDanger, TestID: "delete-route"},
		Title:        "Delete route “" + vm.Name + "”?",
		Message:      vm.From + " stops answering at the next deployment: people reaching it get a 404 from Pomerium.",
		Action:       vm.DeleteURL,
		ConfirmLabel: "Delete route",
		Danger:       true,
		CSRFToken:    vm.CSRFToken,
	}
}

func (vm DetailVM) policySentence() string {
	n := len(vm.Enforced) + len(vm.Attached)
	switch {
	case n == 0:
		return "The policies that decide who gets through."
	case len(vm.Attached) == 0:
		return fmt.Sprintf("%d enforced by its namespaces. Pomerium runs the compiled Rego of each.", len(vm.Enforced))
	}
	return fmt.Sprintf("%d enforced by its namespaces, %d attached to the route. Pomerium runs the compiled Rego of each.", len(vm.Enforced), len(vm.Attached))
}

func (p PolicyVM) badge() components.BadgeProps {
	if p.Enforced {
		return components.BadgeProps{Label: "Enforced", Tone: components.ToneAccent, Title: "Applies to every route of its namespace and below"}
	}
	return components.BadgeProps{Label: "Attached", Title: "An optional policy this route attaches"}
}

func (c CertVM) sub() string {
	if c.Use != "" {
		return c.Use
	}
	return c.Subject
}

// badge flags an expiring or expired key pair; the text says it, not only the colour.
func (c CertVM) badge() (components.BadgeProps, bool) {
	switch c.Status {
	case "expired":
		return components.BadgeProps{Label: "Expired", Tone: components.ToneDanger}, true
	case "expiring":
		return components.BadgeProps{Label: "Expiring", Tone: components.ToneWarning, Title: "Expires within 30 days"}, true
	}
	return components.BadgeProps{}, false
}

// formSection is one card of the form, for the section nav.
type formSection struct{ id, title string }

var formSections = []formSection{
	{"sec-basics", "Basics"}, {"sec-matching", "Matching"}, {"sec-rewrite", "Rewrite"}, {"sec-headers", "Headers"},
	{"sec-timeouts", "Timeouts"}, {"sec-tls", "TLS"}, {"sec-health", "Load balancing & health"}, {"sec-advanced", "Advanced"},
}

// fieldSections places each top-level field (the part of an error key
// before the first dot) in its section; the rest are Advanced.
var fieldSections = map[string]string{
	"name": "sec-basics", "from": "sec-basics", "to": "sec-basics", "redirect": "sec-basics", "response": "sec-basics",
	"policyIds": "sec-basics", "prefix": "sec-matching", "path": "sec-matching", "regex": "sec-matching",
	"regexPriorityOrder": "sec-matching", "prefixRewrite": "sec-rewrite", "regexRewritePattern": "sec-rewrite",
	"regexRewriteSubstitution": "sec-rewrite", "hostRewrite": "sec-rewrite", "hostRewriteHeader": "sec-rewrite",
	"hostPathRegexRewritePattern": "sec-rewrite", "hostPathRegexRewriteSubstitution": "sec-rewrite",
	"setRequestHeaders": "sec-headers", "removeRequestHeaders": "sec-headers", "setResponseHeaders": "sec-headers",
	"rewriteResponseHeaders": "sec-headers", "passIdentityHeaders": "sec-headers", "timeout": "sec-timeouts",
	"idleTimeout": "sec-timeouts", "tlsUpstreamServerName": "sec-tls", "tlsDownstreamServerName": "sec-tls",
	"tlsCustomCaKeyPairId": "sec-tls", "tlsClientKeyPairId": "sec-tls", "tlsDownstreamClientCaKeyPairId": "sec-tls",
	"loadBalancingPolicy": "sec-health", "healthChecks": "sec-health",
}

// sectionOf is the id of the section showing field's error.
func sectionOf(field string) string {
	head, _, _ := strings.Cut(field, ".")
	if id, ok := fieldSections[head]; ok {
		return id
	}
	return "sec-advanced"
}

func (vm FormVM) sectionHasError(id string) bool {
	for field := range vm.Errors {
		if sectionOf(field) == id {
			return true
		}
	}
	return false
}

// errorCount says how many fields need fixing.
func (vm FormVM) errorCount() string {
	if len(vm.Errors) == 1 {
		return "1 field needs fixing, in:"
	}
	return fmt.Sprintf("%d fields need fixing, in:", len(vm.Errors))
}

// sectionsWithErrors lists the sections holding field errors, in order.
func (vm FormVM) sectionsWithErrors() []formSection {
	var out []formSection
	for _, s := range formSections {
		if vm.sectionHasError(s.id) {
			out = append(out, s)
		}
	}
	return out
}

func (vm FormVM) subtitle() string {
	if vm.IsClone {
		return "A copy answers the same requests as its source: change the from URL or the matching before saving. Secrets are not copied."
	}
	return ""
}

func (vm FormVM) listURL() string { return vm.CancelURL }

func (vm FormVM) submitLabel() string {
	if vm.IsEdit {
		return "Save route"
	}
	return "Create route"
}

// preserve marks a control of an inline answer to be kept as it is in the
// page: what is typed while the answer travels must not be overwritten.
func (vm FormVM) preserve() templ.Attributes {
	if !vm.Inline {
		return nil
	}
	return templ.Attributes{"hx-preserve": "true"}
}

// fieldID is the id of field name's control. NB: no dots, which htmx would
// read as a class when it finds a preserved control again by "#id".
func fieldID(name string) string {
	return "f-" + strings.ReplaceAll(name, ".", "-")
}

// text is a text input for field name, its error from vm.Errors.
func (vm FormVM) text(name, label, value, help, placeholder string, required bool) components.FieldProps {
	return components.FieldProps{ID: fieldID(name), Name: name, Label: label, Value: value, Help: help, Placeholder: placeholder,
		Required: required, Error: vm.Errors[name], Autocomplete: "off", Attrs: vm.preserve()}
}

// selectField is a select for field name, its error from vm.Errors.
func (vm FormVM) selectField(name, label, help string, opts []components.Option) components.SelectProps {
	return components.SelectProps{ID: fieldID(name), Name: name, Label: label, Help: help, Options: opts,
		Error: vm.Errors[name], Attrs: vm.preserve()}
}

// num is a text input for a whole number: typed text comes back as typed.
func (vm FormVM) num(name, label, value, help, placeholder string) components.FieldProps {
	p := vm.text(name, label, value, help, placeholder, false)
	p.Attrs = templ.Attributes{"inputmode": "numeric"}
	if vm.Inline {
		p.Attrs["hx-preserve"] = "true"
	}
	return p
}

func (vm FormVM) area(name, label, value, help, placeholder, errText string) components.FieldProps {
	return components.FieldProps{ID: fieldID(name), Name: name, Label: label, Value: value, Help: help, Placeholder: placeholder,
		Error: errText, Rows: 3, Attrs: vm.preserve()}
}

// addButton adds a row to the form: it posts to the form's action, which
// redraws the form without saving.
func (vm FormVM) addButton(label, value, testID string) components.ButtonProps {
	return components.ButtonProps{Label: label, Icon: "plus", Small: true, Name: CommandField, Value: value, TestID: testID,
		Attrs: templ.Attributes{"hx-post": vm.Action}}
}

// removeButton removes a row, as addButton adds one.
func (vm FormVM) removeButton(label, value string, iconOnly bool) components.ButtonProps {
	return components.ButtonProps{Label: label, Icon: "trash", Small: true, Variant: components.VariantGhost, IconOnly: iconOnly,
		Name: CommandField, Value: value, Attrs: templ.Attributes{"hx-post": vm.Action}}
}

// secret is the password input of a write-only field; hx-preserve keeps
// what was typed across the inline re-validation.
func (vm FormVM) secret(name, label, help string) components.FieldProps {
	return components.FieldProps{ID: fieldID(name), Name: name, Label: label, Help: help, Type: "password", Error: vm.Errors[name],
		Autocomplete: "new-password", Attrs: map[string]any{"hx-preserve": "true"}}
}

func (vm FormVM) indexed(list string, i int, field string) string {
	return list + "." + strconv.Itoa(i) + "." + field
}

// choice is one option of a radio group or select.
type choice struct{ value, label string }

var actionChoices = []choice{
	{ActionTo, "Proxy to upstreams"}, {ActionRedirect, "Redirect"}, {ActionResponse, "Answer directly"},
}

var secretActions = []choice{{"", "Keep"}, {"set", "Replace"}, {"clear", "Clear"}}

// Select options of the form, values as the REST Route spells them.
var (
	LBOptions = []choice{{"round_robin", "Round robin"}, {"least_request", "Least request"}, {"ring_hash", "Ring hash"},
		{"random", "Random"}, {"maglev", "Maglev"}}
	HealthKinds   = []choice{{"http", "HTTP"}, {"tcp", "TCP"}, {"grpc", "gRPC"}}
	CodecOptions  = []choice{{"http1", "HTTP/1.1"}, {"http2", "HTTP/2"}, {"http3", "HTTP/3"}}
	IssuerOptions = []choice{{"hostOnly", "Host only"}, {"uri", "URI"}}
)

// options turns choices into select options with a first "default" one.
func (vm FormVM) options(list []choice, current, unset string) []components.Option {
	opts := []components.Option{{Value: "", Label: unset, Selected: current == ""}}
	for _, c := range list {
		opts = append(opts, components.Option{Value: c.value, Label: c.label, Selected: current == c.value})
	}
	if current != "" && !slices.ContainsFunc(list, func(c choice) bool { return c.value == current }) {
		opts = append(opts, components.Option{Value: current, Label: current, Selected: true})
	}
	return opts
}

func (vm FormVM) redirectCodes() []components.Option {
	codes := []choice{{"301", "301 Moved Permanently"}, {"302", "302 Found"}, {"303", "303 See Other"},
		{"307", "307 Temporary Redirect"}, {"308", "308 Permanent Redirect"}}
	return vm.options(codes, vm.F.RedirectCode, "301 (default)")
}

func (vm FormVM) passIdentityOptions() []components.Option {
	return vm.options([]choice{{"true", "Yes"}, {"false", "No"}}, vm.F.PassIdentityHeaders, "As the global setting says")
}

// keyPairSelect offers the key pairs in reach, flagging those that cannot
// serve (no key) or have expired.
func (vm FormVM) keyPairSelect(name, label, current, help string) components.SelectProps {
	opts := []components.Option{{Value: "", Label: "None", Selected: current == ""}}
	found := current == ""
	for _, k := range vm.KeyPairs {
		text := k.Name + " · " + k.NamespaceName
		if !k.HasKey {
			text += " (no key)"
		}
		if k.Status == "expired" || k.Status == "expiring" {
			text += " (" + k.Status + ")"
		}
		opts = append(opts, components.Option{Value: k.ID, Label: text, Selected: current == k.ID})
		found = found || current == k.ID
	}
	if !found {
		opts = append(opts, components.Option{Value: current, Label: current + " (not in reach)", Selected: true})
	}
	return vm.selectField(name, label, help, opts)
}

// action is the chosen action, upstreams by default.
func (f Fields) action() string {
	if f.Action == "" {
		return ActionTo
	}
	return f.Action
}

func (f Fields) attached(id string) bool { return slices.Contains(f.PolicyIDs, id) }

// actionError is the "to" error when the upstream list is not on show.
func (vm FormVM) actionError() string {
	if vm.F.action() == ActionTo {
		return ""
	}
	return vm.Errors["to"]
}

// toError is the "to" error when the upstream list is on show.
func (vm FormVM) toError() string {
	if vm.F.action() != ActionTo {
		return ""
	}
	return vm.Errors["to"]
}

func (p PolicyOption) filterText() string {
	return strings.ToLower(p.Name + " " + p.NamespaceName + " " + p.Description)
}

func joinNames(names []string) string {
	sorted := slices.Clone(names)
	sort.Strings(sorted)
	return strings.Join(sorted, ", ")
}
