// Package policies renders the policy list, a policy's page and the policy
// form with its PPL editor (YAML text, rule builder, live errors and the
// compiled Rego).
package policies

import (
	"net/url"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ListTargetID is the element a search or filter re-renders.
const ListTargetID = "policy-list"

// ListVM is one page of policies.
type ListVM struct {
	BaseURL            string
	NewURL             string
	CanCreate          bool
	Search             string
	Enforced           string // "", "true" or "false"
	IncludeDescendants bool
	Query              url.Values
	Rows               []Row
	Pager              components.PaginationProps
}

// Row is one policy in the list.
type Row struct {
	Name          string
	URL           string
	Enforced      bool
	NamespaceName string
	Description   string
	Updated       string
}

// DetailVM is a policy's page.
type DetailVM struct {
	ID            string
	Name          string
	NamespaceName string
	Enforced      bool
	Description   string
	Explanation   string
	Remediation   string
	Created       string
	Modified      string
	PPL           string
	Rego          string
	// Scope lists the namespaces the policy reaches, in tree order.
	Scope []ScopeItem
	// Routes are the routes the policy applies to.
	Routes    RouteUse
	CanManage bool
	EditURL   string
	CloneURL  string
	DeleteURL string
	CSRFToken string
	ListURL   string
}

// RouteUse is what a policy's page lists of the routes it applies to: the
// first of those attaching it and, when enforced, of those in its scope.
type RouteUse struct {
	Attached      []RouteLink
	AttachedTotal int
	Enforced      []RouteLink
	EnforcedTotal int
	// ListURL lists every route of the policy's namespace and below.
	ListURL string
}

// RouteLink is one route on a policy's page.
type RouteLink struct {
	Name          string
	URL           string
	NamespaceName string
}

// ScopeItem is one namespace a policy reaches.
type ScopeItem struct {
	Name  string
	URL   string
	Depth int
}

// FormVM is the create / edit form.
type FormVM struct {
	Title         string
	Action        string
	CancelURL     string
	CSRFToken     string
	IsEdit        bool
	NamespaceName string
	Name          string
	Description   string
	Explanation   string
	Remediation   string
	Enforced      bool
	Errors        map[string]string
	FormError     string
	Editor        EditorVM
}

// EditorVM is the PPL editor: the YAML source of truth, the rule builder
// drawn from it, its problems and the Rego it compiles to.
type EditorVM struct {
	PPL        string
	Problems   []string
	Rego       string
	Builder    BuilderVM
	PreviewURL string
	BuilderURL string
}

// BuilderVM is the rule builder. When the YAML does not parse, the builder
// shows the last good shape disabled.
type BuilderVM struct {
	Rules    []RuleVM
	Criteria []CriterionOption
	Disabled bool
}

// RuleVM is one allow/deny rule.
type RuleVM struct {
	Action string
	Groups []GroupVM
}

// GroupVM is one and/or/not/nor list of a rule.
type GroupVM struct {
	Operator string
	Rows     []RowVM
}

// RowVM is one criterion. Complex ones (nested matchers, several operators)
// are shown read-only with their YAML and edited in the text.
type RowVM struct {
	Criterion string
	SubPath   string
	Matcher   string
	Value     string
	Complex   bool
	// Raw is the criterion's value as JSON, carried through builder edits
	// of other rows so nothing is lost.
	Raw      string
	Summary  string
	Matchers []string
	HasSub   bool
	// TakesValue shows the value input (criteria like accept take none).
	TakesValue bool
}

// CriterionOption is one criterion the builder offers.
type CriterionOption struct {
	Name        string
	Description string
}

// Field names of the builder inputs, shared with the handler that reads them.
const (
	BuilderCommand = "b.cmd"
	BuilderPrefix  = "b."
)
