package components

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/assets"
)

// spriteURL is resolved once: every icon on every page points into the same cached sprite.
var spriteURL = assets.Path("icons.svg")

// IconHref returns the sprite reference of icon name, for an <svg><use href>.
func IconHref(name string) string { return spriteURL + "#" + name }

// DepthClass is the class ("d0" to "d8") that indents a row of a namespace tree by its depth;
// classes rather than inline styles keep the CSP strict, and app.css stops at 8 levels.
func DepthClass(depth int) string { return "d" + strconv.Itoa(min(max(depth, 0), 8)) }

// Variant selects the look of a button.
type Variant string

// Button variants; the zero value is the secondary (outlined) button.
const (
	VariantSecondary Variant = ""
	VariantPrimary   Variant = "primary"
	VariantDanger    Variant = "danger"
	VariantGhost     Variant = "ghost"
)

// Tone selects the colour of a badge; the text of the badge always carries the meaning too.
type Tone string

// Badge tones; the zero value is neutral grey.
const (
	ToneNeutral Tone = ""
	ToneSuccess Tone = "success"
	ToneWarning Tone = "warning"
	ToneDanger  Tone = "danger"
	ToneInfo    Tone = "info"
	ToneAccent  Tone = "accent"
)

// ButtonProps describes a button, or a link styled as one when Href is set.
type ButtonProps struct {
	Label    string
	Variant  Variant
	Small    bool
	Icon     string // sprite icon name shown before the label
	IconOnly bool   // hide the label visually; it stays the accessible name and tooltip
	Href     string // render an <a> instead of a <button>
	Type     string // button type; defaults to "submit", or "button" when ModalID is set
	ModalID  string // id of the <dialog> this button opens
	Name     string
	Value    string
	Disabled bool
	TestID   string
	Attrs    templ.Attributes // extra attributes such as hx-post or form
}

func (p ButtonProps) class() string {
	c := []string{"btn"}
	if p.Variant != VariantSecondary {
		c = append(c, "btn-"+string(p.Variant))
	}
	if p.Small {
		c = append(c, "btn-sm")
	}
	if p.IconOnly {
		c = append(c, "btn-icon")
	}
	return strings.Join(c, " ")
}

func (p ButtonProps) buttonType() string {
	switch {
	case p.Type != "":
		return p.Type
	case p.ModalID != "":
		return "button"
	default:
		return "submit"
	}
}

// BadgeProps describes a small status label.
type BadgeProps struct {
	Label string
	Tone  Tone
	Title string // optional tooltip with more detail
}

func (p BadgeProps) class() string {
	if p.Tone == ToneNeutral {
		return "badge"
	}
	return "badge badge-" + string(p.Tone)
}

// Crumb is one step of a breadcrumb trail; the last crumb is the current page and needs no URL.
type Crumb struct {
	Name string
	URL  string
}

// PageHeaderProps describes the title block at the top of every page.
type PageHeaderProps struct {
	Title    string
	Subtitle string
	Crumbs   []Crumb
	Actions  []ButtonProps // usually one primary action, e.g. "Add route"
}

// CardProps describes a titled section of a page; its children are the body.
type CardProps struct {
	Title    string
	Subtitle string
	ID       string
	TestID   string
	Actions  []ButtonProps
	Flush    bool // no body padding, for a table that fills the card
}

// EmptyStateProps describes what a list shows when it has nothing in it.
type EmptyStateProps struct {
	Icon   string
	Title  string
	Text   string // what the thing is, in one sentence
	Action *ButtonProps
	TestID string
}

// Flash kinds, shared with the session flash messages of the web package.
const (
	FlashSuccess = "success"
	FlashError   = "error"
	FlashInfo    = "info"
)

// Flash is a one-line notice shown as a toast.
type Flash struct {
	Kind    string // FlashSuccess, FlashError or FlashInfo
	Message string
}

func (f Flash) icon() string {
	switch f.Kind {
	case FlashSuccess:
		return "circle-check"
	case FlashError:
		return "circle-alert"
	default:
		return "info"
	}
}

// autodismiss is in milliseconds; errors stay until closed because they need reading.
func (f Flash) autodismiss() string {
	if f.Kind == FlashError {
		return ""
	}
	return "6000"
}

func (f Flash) role() string {
	if f.Kind == FlashError {
		return "alert"
	}
	return "status"
}

// DLItem is one term of a definition list; Content, when set, replaces Value.
type DLItem struct {
	Term    string
	Value   string
	Mono    bool
	Content templ.Component
}

// DescriptionListProps describes a list of key facts on a detail page.
type DescriptionListProps struct {
	Items  []DLItem
	TestID string
}

// CodeBlockProps describes a block of preformatted code such as compiled Rego or a config file.
type CodeBlockProps struct {
	ID          string // needed for the copy button
	Title       string
	Code        string
	Language    string // a hint for readers ("rego", "yaml"), shown in the header
	Collapsible bool
	Open        bool // with Collapsible: start expanded
}

// TreeNode is one node of a tree view.
type TreeNode struct {
	Label    string
	URL      string
	Icon     string
	Meta     string // muted text after the label, e.g. "12 routes"
	Badge    *BadgeProps
	Current  bool
	Children []TreeNode
}

// TreeProps describes a tree view with indentation and guide lines.
type TreeProps struct {
	Label  string // accessible name of the tree
	Nodes  []TreeNode
	TestID string
}

// Initials returns the one or two letters shown in a user's avatar ("Ada Lovelace" → "AL").
func Initials(name string) string {
	var out []rune
	for _, f := range strings.Fields(name) {
		for _, r := range f {
			out = append(out, r)
			break
		}
		if len(out) == 2 {
			break
		}
	}
	return strings.ToUpper(string(out))
}

func (p CardProps) headingID() string {
	if p.ID != "" {
		return p.ID + "-title"
	}
	return "card-" + slug(p.Title)
}

// slug turns a title into an id fragment ("Basic settings" → "basic-settings").
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (p CodeBlockProps) title() string {
	switch {
	case p.Title != "":
		return p.Title
	case p.Language != "":
		return p.Language
	default:
		return "Code"
	}
}
