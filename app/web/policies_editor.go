package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	policyview "github.com/pomerium-console-oss/pomerium-console/views/policies"
)

// editorVM describes the editor for src. The builder is drawn from the
// text; when the text does not parse, from rows: the builder's state as
// posted, disabled when frozen (the person is typing in the text, which a
// builder edit would overwrite), or its own state after a builder edit.
// Without rows, a text that does not parse gets an empty, disabled builder.
func (s *server) editorVM(c *fiber.Ctx, src string, frozen bool, rows ...policies.BuilderRule) policyview.EditorVM {
	st := state(c)
	ed := s.Policies.Edit(src)
	vm := policyview.EditorVM{
		PPL:        src,
		Problems:   ed.Problems,
		Rego:       ed.Rego,
		PreviewURL: nsURL(st.namespace.ID, "policies/preview"),
		BuilderURL: nsURL(st.namespace.ID, "policies/builder"),
		Builder:    policyview.BuilderVM{Criteria: criterionOptions},
	}
	rules := ed.Rules
	if !ed.Parsed {
		rules = rows
		vm.Builder.Disabled = (frozen || len(rows) == 0) && strings.TrimSpace(src) != ""
	}
	for _, r := range rules {
		rule := policyview.RuleVM{Action: r.Action}
		for _, g := range r.Groups {
			group := policyview.GroupVM{Operator: g.Operator}
			for _, row := range g.Rows {
				group.Rows = append(group.Rows, rowVM(row))
			}
			rule.Groups = append(rule.Groups, group)
		}
		vm.Builder.Rules = append(vm.Builder.Rules, rule)
	}
	return vm
}

// criterionOptions are the criteria the builder offers, from the parser.
var criterionOptions = func() []policyview.CriterionOption {
	var out []policyview.CriterionOption
	for _, c := range ppl.Criteria() {
		out = append(out, policyview.CriterionOption{Name: c.Name, Description: c.Description})
	}
	return out
}()

var criterionInfo = func() map[string]ppl.CriterionInfo {
	m := map[string]ppl.CriterionInfo{}
	for _, c := range ppl.Criteria() {
		m[c.Name] = c
	}
	return m
}()

func rowVM(row policies.BuilderRow) policyview.RowVM {
	info := criterionInfo[row.Criterion]
	vm := policyview.RowVM{
		Criterion: row.Criterion, SubPath: row.SubPath, Matcher: row.Matcher, Value: row.Value,
		Complex: row.Complex(), Raw: row.Raw, Summary: row.Raw, HasSub: info.SubPath,
	}
	switch info.Kind {
	case ppl.MatcherString, ppl.MatcherList:
		vm.Matchers = info.Operators
		vm.TakesValue = true
	case ppl.MatcherIP, ppl.MatcherClaimName, ppl.MatcherDayOfWeek:
		vm.TakesValue = true
	}
	return vm
}

// builderRules reads the builder's fields (b.r0.action, b.r0.g1.op,
// b.r0.g1.c2.name, .sub, .m, .v, .raw, .was) back into rows.
func builderRules(c *fiber.Ctx) []policies.BuilderRule {
	form := map[string]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if key := string(k); strings.HasPrefix(key, policyview.BuilderPrefix) {
			form[key] = string(v)
		}
	})
	var rules []policies.BuilderRule
	for ri := 0; ; ri++ {
		action, ok := form[fmt.Sprintf("b.r%d.action", ri)]
		if !ok {
			break
		}
		rule := policies.BuilderRule{Action: action}
		for gi := 0; ; gi++ {
			prefix := fmt.Sprintf("b.r%d.g%d", ri, gi)
			op, ok := form[prefix+".op"]
			if !ok {
				break
			}
			group := policies.BuilderGroup{Operator: op}
			for ci := 0; ; ci++ {
				p := fmt.Sprintf("%s.c%d", prefix, ci)
				name, ok := form[p+".name"]
				if !ok {
					break
				}
				group.Rows = append(group.Rows, policies.BuilderRow{
					Criterion: name, SubPath: form[p+".sub"], Matcher: form[p+".m"], Value: form[p+".v"],
					Raw: form[p+".raw"], Was: form[p+".was"],
				})
			}
			rule.Groups = append(rule.Groups, group)
		}
		rules = append(rules, rule)
	}
	return slices.Clip(rules)
}
