package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// BlockedUsersPolicy is the name of the enforced policy that keeps
// blocked users out of every route of a cluster's namespace. Core has no
// "blocked user" record, so blocking is policy.
const BlockedUsersPolicy = "Blocked users"

// blockUser adds u to the cluster namespace's "Blocked users" policy,
// creating it (enforced) on first use, and returns its id. The policy is
// ordinary configuration: it reaches Core with the next deployment.
func (s *Service) blockUser(ctx context.Context, acc *rbac.Access, c db.Cluster, u UserRef) (string, error) {
	if s.policies == nil {
		return "", errs.Field("block_user", errs.CodeInvalid, "blocking users is not available in this console")
	}
	existing, ok, err := s.blockedPolicy(ctx, c.NamespaceID)
	if err != nil {
		return "", err
	}
	if !ok {
		p, err := s.policies.Create(ctx, acc, policies.Input{
			NamespaceID: c.NamespaceID, Name: BlockedUsersPolicy, Enforced: true, PPL: blockPPL([]string{u.ID}),
			Description: "Users blocked from the Sessions page. Remove an id to unblock that user.",
			Explanation: "Your account has been blocked by an administrator.",
		})
		if err != nil {
			return "", err
		}
		return p.ID, nil
	}
	ids, ok := blockedIDs(existing.PPL)
	if !ok {
		return "", errs.Conflict("the %q policy was edited by hand, so the console cannot add %s to it: add the user there", BlockedUsersPolicy, u.DisplayName())
	}
	if slices.Contains(ids, u.ID) && existing.Enforced {
		return existing.ID, nil
	}
	if !slices.Contains(ids, u.ID) {
		ids = append(ids, u.ID)
	}
	src, enforced := blockPPL(ids), true
	if _, err := s.policies.Update(ctx, acc, existing.ID, policies.UpdateInput{PPL: &src, Enforced: &enforced}); err != nil {
		return "", err
	}
	return existing.ID, nil
}

// blockedPolicy finds the "Blocked users" policy of namespace nsID.
func (s *Service) blockedPolicy(ctx context.Context, nsID string) (db.Policy, bool, error) {
	list, _, err := s.store.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: []string{nsID}, Query: BlockedUsersPolicy, Limit: 100})
	if err != nil {
		return db.Policy{}, false, fmt.Errorf("runtime: find the %s policy: %w", BlockedUsersPolicy, err)
	}
	for _, p := range list {
		if strings.EqualFold(p.Name, BlockedUsersPolicy) {
			return p, true, nil
		}
	}
	return db.Policy{}, false, nil
}

// blockPPL denies every listed user id.
func blockPPL(ids []string) string {
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString("- deny:\n    or:\n      - user:\n          in:\n")
	for _, id := range ids {
		// A JSON string is a valid YAML double-quoted scalar, whatever the id holds.
		quoted, _ := json.Marshal(id)
		fmt.Fprintf(&b, "            - %s\n", quoted)
	}
	return b.String()
}

// blockedIDs reads back the ids of a policy blockPPL wrote; false when the
// policy has another shape.
func blockedIDs(src string) ([]string, bool) {
	p, err := ppl.Parse([]byte(src))
	if err != nil || len(p.Rules) != 1 || p.Rules[0].Action != ppl.Deny || len(p.Rules[0].Groups) != 1 {
		return nil, false
	}
	g := p.Rules[0].Groups[0]
	if g.Operator != ppl.Or || len(g.Criteria) != 1 || g.Criteria[0].Name != "user" {
		return nil, false
	}
	m, ok := g.Criteria[0].Data.(ppl.StringMatcher)
	if !ok || len(m.Ops) != 1 || m.Ops[0].Op != "in" {
		return nil, false
	}
	return slices.Clone(m.Ops[0].Values), true
}
