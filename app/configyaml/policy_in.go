package configyaml

import (
	"errors"
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// policy plans the route's policy from its allow_* keys and its `policy`
// PPL, and returns its index, or -1 when the route has neither (Core then
// denies everyone, and so will the console). The allow_* keys become one
// `allow: or:` rule, as Core builds it (config/policy_ppl.go): Core ORs
// that rule with the policy's, so the import lists them in one document.
func (p *parser) policy(key, routeName string, r coreRoute) int {
	criteria, ok := p.allowCriteria(key, r)
	if !ok {
		return -1
	}
	policyKey := key + ".policy"
	var src []byte
	switch {
	case len(criteria) == 0 && r.Policy.IsZero():
		return -1
	case len(criteria) == 0:
		// The route's own policy alone keeps its shape (one rule or a list).
		src = marshalNode(&r.Policy)
	default:
		rules := []any{map[string]any{"allow": map[string]any{"or": criteria}}}
		if !r.Policy.IsZero() {
			var user any
			if err := r.Policy.Decode(&user); err == nil {
				if list, isList := user.([]any); isList {
					rules = append(rules, list...)
				} else {
					rules = append(rules, user)
				}
			}
		}
		if len(rules) == 1 {
			src, _ = yaml.Marshal(rules[0])
		} else {
			src, _ = yaml.Marshal(rules)
		}
	}
	parsed, err := ppl.Parse(src)
	if err != nil {
		var errs ppl.Errors
		if !errors.As(err, &errs) {
			errs = ppl.Errors{{Message: err.Error()}}
		}
		for _, e := range errs {
			p.fail(p.lines[policyKey], policyKey, "is not valid PPL: %s", e.Error())
		}
		return -1
	}
	text, err := ppl.Format(parsed)
	if err != nil {
		p.fail(p.lines[policyKey], policyKey, "is not valid PPL: %v", err)
		return -1
	}
	if i, ok := p.policies[string(text)]; ok {
		return i
	}
	name := []rune(routeName)
	if len(name) > policies.MaxNameLength {
		name = name[:policies.MaxNameLength]
	}
	line := p.lines[policyKey]
	if line == 0 {
		line = p.lines[key]
	}
	p.plan.Policies = append(p.plan.Policies, PolicyPlan{Line: line, Key: policyKey, Name: string(name), PPL: string(text)})
	p.policies[string(text)] = len(p.plan.Policies) - 1
	return len(p.plan.Policies) - 1
}

// allowCriteria are the PPL criteria of the route's allow_* keys, refused
// in the combinations Core refuses (config/policy.go Validate).
func (p *parser) allowCriteria(key string, r coreRoute) ([]any, bool) {
	listed := len(r.AllowedUsers) > 0 || len(r.AllowedDomains) > 0
	switch {
	case r.AllowPublicUnauthenticatedAccess && (listed || r.AllowAnyAuthenticatedUser):
		p.failKey(key+".allow_public_unauthenticated_access", "a public route cannot also allow any authenticated user or list allowed users or domains (Core refuses it)")
		return nil, false
	case r.AllowAnyAuthenticatedUser && listed:
		p.failKey(key+".allow_any_authenticated_user", "cannot be combined with allowed users or domains (Core refuses it)")
		return nil, false
	}
	var out []any
	criterion := func(name string, value any) { out = append(out, map[string]any{name: value}) }
	if r.AllowPublicUnauthenticatedAccess {
		criterion("accept", true)
	}
	if r.CORSAllowPreflight {
		criterion("cors_preflight", true)
	}
	if r.AllowAnyAuthenticatedUser {
		criterion("authenticated_user", true)
	}
	for _, d := range r.AllowedDomains {
		criterion("domain", map[string]any{"is": d})
	}
	for _, u := range r.AllowedUsers {
		// Core matches an allowed user by id or by e-mail address.
		criterion("user", map[string]any{"is": u})
		criterion("email", map[string]any{"is": u})
	}
	for _, claim := range slices.Sorted(maps.Keys(r.AllowedIDPClaims)) {
		for _, v := range r.AllowedIDPClaims[claim] {
			criterion("claim/"+claim, v)
		}
	}
	return out, true
}

// marshalNode writes a node back as YAML.
func marshalNode(n *yaml.Node) []byte {
	b, err := yaml.Marshal(n)
	if err != nil {
		return nil
	}
	return b
}
