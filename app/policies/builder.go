package policies

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// BuilderRule is one rule of the rule builder; the builder is a view of the
// PPL text, which stays the source of truth.
type BuilderRule struct {
	Action string
	Groups []BuilderGroup
}

// BuilderGroup is one and/or/not/nor list.
type BuilderGroup struct {
	Operator string
	Rows     []BuilderRow
}

// BuilderRow is one criterion. Simple ones are a matcher and a value; any
// other is carried whole in Raw (JSON) and edited in the text.
type BuilderRow struct {
	Criterion string
	SubPath   string
	Matcher   string
	Value     string
	Raw       string
	// Was is the criterion the row had when drawn; a changed criterion
	// starts from its defaults instead of the old matcher and value.
	Was string
}

// Complex reports whether the row is edited in the text only.
func (r BuilderRow) Complex() bool { return r.Raw != "" }

// Editor is what the PPL editor shows for a text: its problems, the Rego it
// compiles to, and the builder rows drawn from it.
type Editor struct {
	Problems []string
	Rego     string
	Rules    []BuilderRule
	// Parsed is false when the text does not parse; Rules is then empty.
	Parsed bool
}

// criteria indexes the criteria the builder offers.
var criteria = func() map[string]ppl.CriterionInfo {
	m := map[string]ppl.CriterionInfo{}
	for _, c := range ppl.Criteria() {
		m[c.Name] = c
	}
	return m
}()

// Edit describes src for the editor.
func (s *Service) Edit(src string) Editor {
	// The preview answers every keystroke of anyone who may view the
	// namespace: refuse what Create would, before parsing it.
	if len(src) > MaxPPLLength {
		return Editor{Problems: []string{fmt.Sprintf("the policy must be at most %d bytes (got %d)", MaxPPLLength, len(src))}}
	}
	p, err := ppl.Parse([]byte(src))
	if err != nil {
		return Editor{Problems: problemsOf(err)}
	}
	ed := Editor{Rules: RowsOf(p), Parsed: true}
	ed.Rego, err = s.compile(src)
	if err != nil {
		ed.Problems = []string{"the compiled Rego was refused by OPA: " + err.Error()}
	}
	return ed
}

// maxProblems caps the list the editor shows; a long broken paste can
// have thousands.
const maxProblems = 50

func problemsOf(err error) []string {
	var list ppl.Errors
	if !errors.As(err, &list) {
		return []string{err.Error()}
	}
	out := make([]string, 0, min(len(list), maxProblems+1))
	for _, e := range list[:min(len(list), maxProblems)] {
		out = append(out, e.Error())
	}
	if len(list) > maxProblems {
		out = append(out, fmt.Sprintf("… and %d more", len(list)-maxProblems))
	}
	return out
}

// RowsOf draws the builder rows of a parsed policy.
func RowsOf(p *ppl.Policy) []BuilderRule {
	rules := make([]BuilderRule, 0, len(p.Rules))
	for _, r := range p.Rules {
		br := BuilderRule{Action: string(r.Action)}
		for _, g := range r.Groups {
			bg := BuilderGroup{Operator: string(g.Operator)}
			for _, c := range g.Criteria {
				bg.Rows = append(bg.Rows, rowOf(c))
			}
			br.Groups = append(br.Groups, bg)
		}
		rules = append(rules, br)
	}
	return rules
}

// rowOf flattens one criterion when it is a single matcher and value that
// the row writes back exactly; any other is carried whole in Raw.
func rowOf(c ppl.Criterion) BuilderRow {
	row := BuilderRow{Criterion: c.Name, SubPath: c.SubPath, Was: c.Name}
	if simple, ok := simpleRow(row, c); ok {
		// NB: a row holds text only; a number or boolean operand (Core
		// tells `is: true` from `is: "true"`), or a list item with a comma
		// or padding, would come back changed on any edit of another row.
		if raw, err := rawOf(simple); err == nil && reflect.DeepEqual(raw, c.Raw) {
			return simple
		}
	}
	raw, err := json.Marshal(c.Raw)
	if err != nil || string(raw) == "null" {
		raw = []byte("{}")
	}
	row.Raw = string(raw)
	return row
}

// simpleRow fills row's matcher and value from c when c's kind has them.
func simpleRow(row BuilderRow, c ppl.Criterion) (BuilderRow, bool) {
	switch d := c.Data.(type) {
	case ppl.NoData:
		return row, true
	case ppl.StringMatcher:
		if len(d.Ops) == 1 {
			row.Matcher, row.Value = d.Ops[0].Op, opValue(d.Ops[0])
			return row, true
		}
	case ppl.ListMatcher:
		if len(d.Ops) == 1 {
			row.Matcher, row.Value = d.Ops[0].Op, opValue(d.Ops[0])
			return row, true
		}
	case ppl.ClaimName:
		row.Value = string(d)
		return row, true
	case ppl.SourceIP:
		if v, ok := joinStrings(c.Raw); ok {
			row.Value = v
			return row, true
		}
	case ppl.DayOfWeek:
		if v, ok := c.Raw.(string); ok {
			row.Value = v
			return row, true
		}
	}
	return row, false
}

func opValue(op ppl.StringOp) string {
	if op.Op == "in" || op.Op == "not_in" {
		return strings.Join(op.Values, ", ")
	}
	return op.Value
}

// joinStrings joins a string or a list of strings with ", ".
func joinStrings(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ", "), true
	}
	return "", false
}

// ApplyBuilder applies a builder command ("add-row:0:1", "remove-group:0:1",
// "add-rule", ...; "" for a plain field change) to the rows and writes them
// back as PPL text. It returns the rows as changed, so the builder can be
// drawn from them even while the text does not parse yet.
func ApplyBuilder(rules []BuilderRule, cmd string) (string, []BuilderRule, error) {
	rules, err := applyCommand(rules, cmd)
	if err != nil {
		return "", nil, err
	}
	p := &ppl.Policy{List: len(rules) > 1}
	for _, r := range rules {
		rule := ppl.Rule{Action: ppl.Action(r.Action)}
		for _, g := range r.Groups {
			group := ppl.Group{Operator: ppl.Operator(g.Operator)}
			for i := range g.Rows {
				row := &g.Rows[i]
				normalizeRow(row)
				raw, err := rawOf(*row)
				if err != nil {
					return "", nil, err
				}
				group.Criteria = append(group.Criteria, ppl.Criterion{Name: row.Criterion, SubPath: row.SubPath, Raw: raw})
			}
			rule.Groups = append(rule.Groups, group)
		}
		p.Rules = append(p.Rules, rule)
	}
	if len(p.Rules) == 0 {
		return "", rules, nil
	}
	src, err := ppl.Format(p)
	if err != nil {
		return "", nil, err
	}
	return string(src), rules, nil
}

// normalizeRow resets a row whose criterion changed, and picks a matcher the
// criterion knows.
func normalizeRow(row *BuilderRow) {
	info := criteria[row.Criterion]
	if row.Was != "" && row.Was != row.Criterion {
		*row = BuilderRow{Criterion: row.Criterion, SubPath: row.SubPath}
	}
	if !info.SubPath {
		row.SubPath = ""
	}
	if !row.Complex() && len(info.Operators) > 0 && !slices.Contains(info.Operators, row.Matcher) {
		row.Matcher = info.Operators[0]
	}
	row.Was = row.Criterion
}

// rawOf is the PPL value of a row.
func rawOf(row BuilderRow) (any, error) {
	if row.Raw != "" {
		var v any
		if err := json.Unmarshal([]byte(row.Raw), &v); err != nil {
			return nil, fmt.Errorf("policies: builder: criterion %s: %w", row.Criterion, err)
		}
		return v, nil
	}
	info := criteria[row.Criterion]
	switch info.Kind {
	case ppl.MatcherNone:
		return true, nil
	case ppl.MatcherString, ppl.MatcherList:
		if row.Matcher == "in" || row.Matcher == "not_in" {
			return map[string]any{row.Matcher: splitList(row.Value)}, nil
		}
		return map[string]any{row.Matcher: row.Value}, nil
	case ppl.MatcherIP:
		if list := splitList(row.Value); len(list) != 1 {
			return list, nil
		}
		return strings.TrimSpace(row.Value), nil
	case ppl.MatcherClaimName, ppl.MatcherDayOfWeek:
		return strings.TrimSpace(row.Value), nil
	}
	return starter(info.Kind), nil
}

// starter is the value a criterion begins with when picked in the builder;
// the text then shows what to fill in.
func starter(kind ppl.MatcherKind) any {
	switch kind {
	case ppl.MatcherDevice:
		return map[string]any{"approved": true}
	case ppl.MatcherDate:
		return map[string]any{"after": "2026-01-01"}
	case ppl.MatcherTimeOfDay:
		return map[string]any{"timezone": "UTC", "after": "9:00", "before": "17:00"}
	case ppl.MatcherRecord:
		return map[string]any{"type": "", "field": "", "is": ""}
	case ppl.MatcherCertificate:
		return map[string]any{"fingerprint": ""}
	}
	return ""
}

func splitList(s string) []any {
	out := []any{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// applyCommand performs one builder command on a copy of rules.
func applyCommand(rules []BuilderRule, cmd string) ([]BuilderRule, error) {
	rules = cloneRules(rules)
	name, args, _ := strings.Cut(cmd, ":")
	idx, err := indices(args)
	if err != nil {
		return nil, fmt.Errorf("policies: builder command %q: %w", cmd, err)
	}
	in := func(n int) bool { return len(idx) == n && inRange(rules, idx) }
	newRow := BuilderRow{Criterion: "email", Matcher: "is", Was: "email"}
	switch {
	case name == "":
	case name == "add-rule":
		rules = append(rules, BuilderRule{Action: "allow", Groups: []BuilderGroup{{Operator: "and", Rows: []BuilderRow{newRow}}}})
	case name == "remove-rule" && in(1):
		rules = slices.Delete(rules, idx[0], idx[0]+1)
	case name == "add-group" && in(1):
		r := &rules[idx[0]]
		op := freeOperator(*r)
		if op == "" {
			// A second group of one operator would repeat its YAML key.
			return nil, fmt.Errorf("policies: builder command %q: the rule already has a group of every operator", cmd)
		}
		r.Groups = append(r.Groups, BuilderGroup{Operator: op, Rows: []BuilderRow{newRow}})
	case name == "remove-group" && in(2):
		r := &rules[idx[0]]
		r.Groups = slices.Delete(r.Groups, idx[1], idx[1]+1)
	case name == "add-row" && in(2):
		g := &rules[idx[0]].Groups[idx[1]]
		g.Rows = append(g.Rows, newRow)
	case name == "remove-row" && in(3):
		g := &rules[idx[0]].Groups[idx[1]]
		g.Rows = slices.Delete(g.Rows, idx[2], idx[2]+1)
	default:
		return nil, fmt.Errorf("policies: unknown builder command %q", cmd)
	}
	return rules, nil
}

// freeOperator is the first operator r does not use yet, or "".
func freeOperator(r BuilderRule) string {
	for _, op := range ppl.Operators {
		if !slices.ContainsFunc(r.Groups, func(g BuilderGroup) bool { return g.Operator == string(op) }) {
			return string(op)
		}
	}
	return ""
}

func indices(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, part := range strings.Split(s, ":") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad index %q", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// inRange reports whether idx (rule, group, row) points into rules.
func inRange(rules []BuilderRule, idx []int) bool {
	if idx[0] >= len(rules) {
		return false
	}
	if len(idx) < 2 {
		return true
	}
	groups := rules[idx[0]].Groups
	if idx[1] >= len(groups) {
		return false
	}
	return len(idx) < 3 || idx[2] < len(groups[idx[1]].Rows)
}

func cloneRules(rules []BuilderRule) []BuilderRule {
	out := make([]BuilderRule, len(rules))
	for i, r := range rules {
		out[i] = BuilderRule{Action: r.Action, Groups: make([]BuilderGroup, len(r.Groups))}
		for j, g := range r.Groups {
			out[i].Groups[j] = BuilderGroup{Operator: g.Operator, Rows: slices.Clone(g.Rows)}
		}
	}
	return out
}
