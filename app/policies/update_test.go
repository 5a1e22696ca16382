package policies_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// engineersOnly is the policy the update, clone and delete tests change.
var engineersOnly = db.Policy{
	ID: "p-eng", NamespaceID: eng, Name: "Engineers only", Description: "Lets engineers in.",
	Explanation: "You are not an engineer.", Remediation: "Ask IT.", PPL: allowEngineers,
}

// everyField sets every field of an update to in's values.
func everyField(in policies.Input) policies.UpdateInput {
	return policies.UpdateInput{
		Name: &in.Name, Description: &in.Description, Explanation: &in.Explanation,
		Remediation: &in.Remediation, Enforced: &in.Enforced, PPL: &in.PPL,
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	for _, tc := range apptest.Writers(eng, rbac.RoleManager) {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				old := e.put(t, engineersOnly)
				acc := tc.Resolve(t, e.Callers)
				before := storetest.Capture(t, s)

				p, err := e.svc.Update(t.Context(), acc, old.ID, everyField(policies.Input{
					Name: " Contractors out ", Description: "", Explanation: "Contractors may not.",
					Remediation: " Ask for an exception. ", Enforced: true, PPL: denyContractor,
				}))
				if err != nil {
					t.Fatal(err)
				}
				want := db.Policy{
					ID: old.ID, NamespaceID: eng, Name: "Contractors out", Explanation: "Contractors may not.",
					Remediation: "Ask for an exception.", Enforced: true, PPL: denyContractor, Rego: compiled(t, denyContractor),
					CreatedAt: created, ModifiedAt: now,
				}
				if p != want {
					t.Fatalf("Update =\n%+v, want\n%+v", p, want)
				}
				wantStored(t, s, want)
				wantEntry(t, before.OnlyNewActivity(t, s), apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityUpdate, EntityID: old.ID, EntityName: "Contractors out",
					NamespaceID: eng, NamespaceName: "Engineering",
				}), snapOf(old), snapOf(want))
			})
		})
	}
}

func TestUpdateChangesOnlySetFields(t *testing.T) {
	t.Parallel()
	name, ppl, enforced, empty := "Renamed", denyContractor, true, ""
	tests := []struct {
		name  string
		in    policies.UpdateInput
		patch func(p *db.Policy)
	}{
		{"name", policies.UpdateInput{Name: &name}, func(p *db.Policy) { p.Name = name }},
		{"own name in another case", policies.UpdateInput{Name: new("ENGINEERS ONLY")}, func(p *db.Policy) { p.Name = "ENGINEERS ONLY" }},
		{"the name of a policy elsewhere", policies.UpdateInput{Name: new("Finance only")}, func(p *db.Policy) { p.Name = "Finance only" }},
		{"enforcement", policies.UpdateInput{Enforced: &enforced}, func(p *db.Policy) { p.Enforced = true }},
		{"cleared description", policies.UpdateInput{Description: &empty}, func(p *db.Policy) { p.Description = "" }},
		{"PPL, with its Rego", policies.UpdateInput{PPL: &ppl}, func(p *db.Policy) { p.PPL, p.Rego = ppl, compiled(t, ppl) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				e.put(t, db.Policy{ID: "p-fin", NamespaceID: fin, Name: "Finance only", PPL: allowEngineers})
				want := e.put(t, engineersOnly)
				before := storetest.Capture(t, s)
				if _, err := e.svc.Update(t.Context(), e.Resolve(t, root), want.ID, tc.in); err != nil {
					t.Fatal(err)
				}
				tc.patch(&want)
				want.ModifiedAt = now
				wantStored(t, s, want)
				if n := len(before.NewActivity(t, s)); n != 1 {
					t.Errorf("%d activity entries, want 1", n)
				}
			})
		})
	}
}

// TestUpdateWithoutChangeWritesNothing saves a policy as it is: nothing is
// written, not even ModifiedAt or an activity entry.
func TestUpdateWithoutChangeWritesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   policies.UpdateInput
	}{
		{"no field set", policies.UpdateInput{}},
		{"every field as it is", everyField(policies.Input{
			Name: engineersOnly.Name, Description: engineersOnly.Description, Explanation: engineersOnly.Explanation,
			Remediation: engineersOnly.Remediation, PPL: engineersOnly.PPL,
		})},
		{"texts padded with spaces", policies.UpdateInput{Name: new("  Engineers only "), Remediation: new("Ask IT.\n")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				old := e.put(t, engineersOnly)
				before := storetest.Capture(t, s)
				p, err := e.svc.Update(t.Context(), e.Resolve(t, root), old.ID, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				if p != stored(t, s, old.ID) {
					t.Errorf("Update = %+v, want the stored policy", p)
				}
				before.Unchanged(t, s)
			})
		})
	}
}

func TestUpdateRefusesInvalidInput(t *testing.T) {
	t.Parallel()
	for _, tc := range validationCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				seedTaken(t, e)
				p := e.put(t, engineersOnly)
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (db.Policy, error) {
					return e.svc.Update(t.Context(), e.Resolve(t, root), p.ID, everyField(tc.in))
				})
			})
		})
	}
}

// writeRefusals are the callers and ids every write of an existing policy
// (update, clone, delete) refuses; the policy is engineersOnly in eng.
var writeRefusals = []struct {
	name   string
	grants apptest.Roles // nil: act as root
	id     string
	want   apptest.Refusal
}{
	{"viewer of the namespace", apptest.Roles{eng: rbac.RoleViewer}, engineersOnly.ID,
		apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
	{"guest of the namespace", apptest.Roles{eng: rbac.RoleGuest}, engineersOnly.ID,
		apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a guest there`)},
	{"viewer inherited from Global", apptest.Roles{global: rbac.RoleViewer}, engineersOnly.ID,
		apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
	{"manager of a child", apptest.Roles{prod: rbac.RoleManager, dev: rbac.RoleAdmin}, engineersOnly.ID,
		apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	{"admin of a sibling", apptest.Roles{fin: rbac.RoleAdmin}, engineersOnly.ID,
		apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	{"unknown policy", nil, "nope", apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: policy nope does not exist"}},
}

func TestUpdateRefusesCallers(t *testing.T) {
	t.Parallel()
	for _, tc := range writeRefusals {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				e.put(t, engineersOnly)
				acc := e.Caller(t, tc.grants)
				// Invalid too: authorization comes before validation.
				apptest.WantRefused(t, s, tc.want, func() (db.Policy, error) {
					return e.svc.Update(t.Context(), acc, tc.id, policies.UpdateInput{Name: new(""), PPL: new("allow: [")})
				})
			})
		})
	}
}
