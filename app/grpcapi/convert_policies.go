package grpcapi

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// policyPath maps the policies service's field names onto SetPolicyRequest.
var policyPath = restPath("policy", nil)

// policySource is the PPL a Policy message asks for. The legacy fields
// become one `allow: or:` rule before the message's own PPL, as Core
// builds it from a route's allow_* keys (config/policy_ppl.go ToPPL): an
// allowed user matches by id or e-mail address, an allowed domain by the
// e-mail's domain, an allowed claim value by claim/<name>. Hand-written
// Rego is refused: the console compiles PPL to Rego itself.
func policySource(m *pb.Policy) (string, error) {
	if slices.ContainsFunc(m.GetRego(), func(s string) bool { return strings.TrimSpace(s) != "" }) {
		return "", invalid("policy.rego", "is not supported: the console compiles the policy's PPL to Rego itself; write the rules in ppl")
	}
	criteria := legacyCriteria(m)
	if len(criteria) == 0 {
		return m.GetPpl(), nil
	}
	legacySrc, err := json.Marshal(map[string]any{"allow": map[string]any{"or": criteria}})
	if err != nil {
		return "", fmt.Errorf("grpcapi: legacy policy fields: %w", err)
	}
	legacy, err := ppl.Parse(legacySrc)
	if err != nil {
		return "", invalid("policy.allowed_idp_claims", "cannot be written as PPL: %v", err)
	}
	combined := &ppl.Policy{Rules: legacy.Rules, List: true}
	if strings.TrimSpace(m.GetPpl()) != "" {
		own, err := ppl.Parse([]byte(m.GetPpl()))
		if err != nil {
			return "", invalid("policy.ppl", "%v", err)
		}
		combined.Rules = append(combined.Rules, own.Rules...)
	}
	if len(combined.Rules) == 1 {
		combined.List = false
	}
	text, err := ppl.Format(combined)
	if err != nil {
		return "", fmt.Errorf("grpcapi: legacy policy fields: %w", err)
	}
	return string(text), nil
}

// legacyCriteria are the PPL criteria of the legacy allowed_* fields.
func legacyCriteria(m *pb.Policy) []any {
	var out []any
	add := func(name string, value any) { out = append(out, map[string]any{name: value}) }
	for _, d := range m.GetAllowedDomains() {
		add("domain", map[string]any{"is": d})
	}
	for _, u := range m.GetAllowedUsers() {
		add("user", map[string]any{"is": u})
		add("email", map[string]any{"is": u})
	}
	claims := m.GetAllowedIdpClaims()
	for _, name := range slices.Sorted(maps.Keys(claims)) {
		for _, v := range claims[name].GetValues() {
			add("claim/"+name, v.AsInterface())
		}
	}
	return out
}

// policyMessages builds the messages of policies the caller may view,
// each with the routes (of namespaces the caller may view) attaching it.
func policyMessages(ctx context.Context, store db.Store, acc *rbac.Access, list []db.Policy) ([]*pb.Policy, error) {
	visible := acc.SubtreeWith(db.GlobalNamespaceID, rbac.RoleViewer)
	out := make([]*pb.Policy, 0, len(list))
	for _, p := range list {
		attached := map[string]string{}
		err := readPages(func(offset int) (int, int, error) {
			page, total, err := store.ListRoutes(ctx, db.RouteFilter{PolicyID: p.ID, NamespaceIDs: visible, Offset: offset, Limit: resourcePage})
			for _, r := range page {
				attached[r.ID] = r.Name
			}
			return len(page), total, err
		})
		if err != nil {
			return nil, fmt.Errorf("grpcapi: routes of policy: %w", err)
		}
		ns, _ := acc.Tree().Get(p.NamespaceID)
		out = append(out, &pb.Policy{
			Id: p.ID, NamespaceId: p.NamespaceID, NamespaceName: ns.Name,
			CreatedAt: pbTime(p.CreatedAt), ModifiedAt: pbTime(p.ModifiedAt),
			Name: p.Name, Description: p.Description, Ppl: p.PPL, Enforced: p.Enforced,
			Explanation: p.Explanation, Remediation: p.Remediation, Routes: attached,
		})
	}
	return out, nil
}

// policyMessageOf is policyMessages of one policy.
func policyMessageOf(ctx context.Context, store db.Store, acc *rbac.Access, p db.Policy) (*pb.Policy, error) {
	list, err := policyMessages(ctx, store, acc, []db.Policy{p})
	if err != nil {
		return nil, err
	}
	return list[0], nil
}
