package policies_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestCreate(t *testing.T) {
	t.Parallel()
	tests := append(apptest.Writers(eng, rbac.RoleManager), apptest.Writer{Name: "admin of the namespace",
		Resolve: func(t testing.TB, c apptest.Callers) *rbac.Access {
			return c.Caller(t, apptest.Roles{eng: rbac.RoleAdmin})
		}})
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				acc := tc.Resolve(t, e.Callers)
				before := storetest.Capture(t, s)

				p, err := e.svc.Create(t.Context(), acc, policies.Input{
					NamespaceID: eng, Name: "  Engineers only \t", Description: " Lets engineers in. ",
					Explanation: "\tYou are not an engineer.", Remediation: "Ask IT.\n", Enforced: true, PPL: allowEngineers,
				})
				if err != nil {
					t.Fatal(err)
				}
				want := db.Policy{
					ID: p.ID, NamespaceID: eng, Name: "Engineers only", Description: "Lets engineers in.",
					Explanation: "You are not an engineer.", Remediation: "Ask IT.", Enforced: true,
					PPL: allowEngineers, Rego: compiled(t, allowEngineers), CreatedAt: now, ModifiedAt: now,
				}
				if p != want || p.ID == "" {
					t.Fatalf("Create =\n%+v, want\n%+v", p, want)
				}
				wantStored(t, s, want)
				wantEntry(t, before.OnlyNewActivity(t, s), apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityCreate, EntityID: p.ID, EntityName: "Engineers only",
					NamespaceID: eng, NamespaceName: "Engineering",
				}), nil, snapOf(want))
			})
		})
	}
}

func TestCreateAccepts(t *testing.T) {
	t.Parallel()
	// padded is allowEngineers behind a comment that makes it exactly as
	// long as a policy may be.
	padded := "#" + strings.Repeat("x", policies.MaxPPLLength-len(allowEngineers)-2) + "\n" + allowEngineers
	tests := []struct {
		name string
		in   policies.Input
		want string // the stored name
	}{
		{"a name another namespace uses", policies.Input{NamespaceID: eng, Name: "Finance only", PPL: allowEngineers}, "Finance only"},
		{"a name a child namespace uses, other case", policies.Input{NamespaceID: eng, Name: "PROD ONLY", PPL: allowEngineers}, "PROD ONLY"},
		{"128 multibyte runes", policies.Input{NamespaceID: eng, Name: strings.Repeat("é", 128), PPL: allowEngineers}, strings.Repeat("é", 128)},
		{"inner spaces and symbols", policies.Input{NamespaceID: eng, Name: " Ops & Sécurité ✓ ", PPL: allowEngineers}, "Ops & Sécurité ✓"},
		{"texts of 4096 multibyte runes and line breaks", policies.Input{
			NamespaceID: eng, Name: "Long texts", PPL: allowEngineers,
			Description: strings.Repeat("ü", 4094) + "\nx", Explanation: strings.Repeat("ü", 4096), Remediation: strings.Repeat("ü", 4096),
		}, "Long texts"},
		{"JSON", policies.Input{NamespaceID: eng, Name: "JSON", PPL: `{"allow": {"or": [{"email": {"is": "a@example.com"}}]}}`}, "JSON"},
		{"a list of rules", policies.Input{NamespaceID: eng, Name: "List", PPL: "- " + strings.ReplaceAll(strings.TrimSpace(allowEngineers), "\n", "\n  ") + "\n- " +
			strings.ReplaceAll(strings.TrimSpace(denyContractor), "\n", "\n  ") + "\n"}, "List"},
		{"PPL of the largest size", policies.Input{NamespaceID: eng, Name: "Padded", PPL: padded}, "Padded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				e.seed(t, policies.Input{NamespaceID: fin, Name: "Finance only", PPL: allowEngineers})
				e.seed(t, policies.Input{NamespaceID: prod, Name: "Prod only", PPL: allowEngineers})
				p, err := e.svc.Create(t.Context(), e.Resolve(t, root), tc.in)
				if err != nil {
					t.Fatal(err)
				}
				got := stored(t, s, p.ID)
				if got.Name != tc.want || got.NamespaceID != eng || got.PPL != tc.in.PPL || got.Rego != compiled(t, tc.in.PPL) {
					t.Fatalf("stored %q in %s with PPL %q, want %q in %s with %q compiled", got.Name, got.NamespaceID, got.PPL, tc.want, eng, tc.in.PPL)
				}
			})
		})
	}
}

// badPPL has two problems, one per rule.
const badPPL = "allow:\n  and:\n    - email:\n        contain: x\ndeny:\n  and:\n    - source_ip: 10.0.0.300/8\n"

// problems is the "ppl" field error listing msgs.
func problems(msgs ...string) errs.FieldError {
	return errs.FieldError{Code: errs.CodeInvalid, Message: strings.Join(msgs, "\n")}
}

// manyProblems is a PPL with n unknown criteria, and the field error it
// gets: the first 50 problems and a count of the rest.
func manyProblems(n int) (string, errs.FieldError) {
	var src strings.Builder
	src.WriteString("allow:\n  or:\n")
	var msgs []string
	for i := range n {
		src.WriteString("    - nope: 1\n")
		if i < 50 {
			msgs = append(msgs, fmt.Sprintf(`allow.or[%d].nope: unknown criterion "nope"`, i))
		}
	}
	return src.String(), problems(append(msgs, fmt.Sprintf("… and %d more", n-50))...)
}

// Field errors of the validation cases.
var (
	nameRequired = errs.FieldError{Code: errs.CodeRequired, Message: "enter a name"}
	nameControl  = errs.FieldError{Code: errs.CodeInvalid, Message: "must not contain control characters such as line breaks"}
	pplRequired  = errs.FieldError{Code: errs.CodeRequired, Message: "write the policy's rules in PPL"}
	textTooLong  = errs.FieldError{Code: errs.CodeTooLong, Message: "must be at most 4096 characters (got 4097)"}
)

func nameTaken(name string) errs.FieldError {
	return errs.FieldError{Code: errs.CodeConflict, Message: fmt.Sprintf("this namespace already has a policy named %q", name)}
}

// validationCases are the inputs every write refuses, whatever the caller
// changes: Create gets them with NamespaceID eng, Update as the new
// values of the policy "Engineers only" in eng. Policies named
// "Existing" and "Équipe" are in eng too.
func validationCases() []struct {
	name string
	in   policies.Input
	want map[string]errs.FieldError
} {
	tooMany, tooManyErr := manyProblems(53)
	long := strings.Repeat("ü", 4097)
	in := func(name, src string) policies.Input { return policies.Input{Name: name, PPL: src} }
	return []struct {
		name string
		in   policies.Input
		want map[string]errs.FieldError
	}{
		{"empty name", in("", allowEngineers), map[string]errs.FieldError{"name": nameRequired}},
		{"whitespace-only name", in(" \t \u00a0 ", allowEngineers), map[string]errs.FieldError{"name": nameRequired}},
		{"129 multibyte runes", in(strings.Repeat("é", 129), allowEngineers),
			map[string]errs.FieldError{"name": {Code: errs.CodeTooLong, Message: "must be at most 128 characters (got 129)"}}},
		{"line break in the name", in("two\nlines", allowEngineers), map[string]errs.FieldError{"name": nameControl}},
		{"NUL in the name", in("a\x00b", allowEngineers), map[string]errs.FieldError{"name": nameControl}},
		{"DEL in the name", in("a\x7fb", allowEngineers), map[string]errs.FieldError{"name": nameControl}},
		{"a name the namespace has, other case", in("EXISTING", allowEngineers), map[string]errs.FieldError{"name": nameTaken("Existing")}},
		{"a name the namespace has, padded", in("  existing ", allowEngineers), map[string]errs.FieldError{"name": nameTaken("Existing")}},
		{"a name the namespace has, non-ASCII case", in("équipe", allowEngineers), map[string]errs.FieldError{"name": nameTaken("Équipe")}},
		{"description too long", policies.Input{Name: "X", PPL: allowEngineers, Description: long}, map[string]errs.FieldError{"description": textTooLong}},
		{"explanation too long", policies.Input{Name: "X", PPL: allowEngineers, Explanation: long}, map[string]errs.FieldError{"explanation": textTooLong}},
		{"remediation too long", policies.Input{Name: "X", PPL: allowEngineers, Remediation: long}, map[string]errs.FieldError{"remediation": textTooLong}},
		{"empty PPL", in("X", ""), map[string]errs.FieldError{"ppl": pplRequired}},
		{"whitespace-only PPL", in("X", " \n\t\n"), map[string]errs.FieldError{"ppl": pplRequired}},
		{"PPL one byte too long", in("X", strings.Repeat("#", policies.MaxPPLLength)+"\n"),
			map[string]errs.FieldError{"ppl": {Code: errs.CodeTooLong, Message: "must be at most 262144 bytes (got 262145)"}}},
		{"PPL naming an unknown operator", in("X", "allow:\n  or:\n    - email:\n        is: a@example.com\n    - domain:\n        is: example.com\n    - email:\n        contain: x\n"),
			map[string]errs.FieldError{"ppl": problems(`allow.or[2].email: unknown operator "contain"; did you mean "contains"?`)}},
		{"PPL with a problem in each rule", in("X", badPPL), map[string]errs.FieldError{"ppl": problems(
			`allow.and[0].email: unknown operator "contain"; did you mean "contains"?`,
			`deny.and[0].source_ip: "10.0.0.300/8" is not an IP or CIDR`)}},
		{"PPL that is not YAML", in("X", "allow: ["), map[string]errs.FieldError{"ppl": problems(`line 1, column 8: sequence end token ']' not found`)}},
		{"PPL with more problems than are listed", in("X", tooMany), map[string]errs.FieldError{"ppl": tooManyErr}},
		{"every field at once", policies.Input{Name: "", Description: long, Explanation: long, Remediation: long, PPL: badPPL},
			map[string]errs.FieldError{"name": nameRequired, "description": textTooLong, "explanation": textTooLong, "remediation": textTooLong, "ppl": problems(
				`allow.and[0].email: unknown operator "contain"; did you mean "contains"?`,
				`deny.and[0].source_ip: "10.0.0.300/8" is not an IP or CIDR`)}},
		{"a taken name and an empty PPL", in("existing", ""), map[string]errs.FieldError{"name": nameTaken("Existing"), "ppl": pplRequired}},
	}
}

// seedTaken stores the policies validationCases collide with.
func seedTaken(t *testing.T, e *env) {
	t.Helper()
	e.seed(t, policies.Input{NamespaceID: eng, Name: "Existing", PPL: allowEngineers})
	e.seed(t, policies.Input{NamespaceID: eng, Name: "Équipe", PPL: allowEngineers})
}

func TestCreateRefusesInvalidInput(t *testing.T) {
	t.Parallel()
	for _, tc := range validationCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				seedTaken(t, e)
				in := tc.in
				in.NamespaceID = eng
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (db.Policy, error) {
					return e.svc.Create(t.Context(), e.Resolve(t, root), in)
				})
			})
		})
	}
}

func TestCreateRefusesCallers(t *testing.T) {
	t.Parallel()
	needsManager := func(role string) apptest.Refusal {
		return apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a ` + role + ` there`)
	}
	noRole := apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)
	tests := []struct {
		name   string
		grants apptest.Roles
		in     policies.Input
		want   apptest.Refusal
	}{
		{"viewer of the namespace", apptest.Roles{eng: rbac.RoleViewer}, policies.Input{NamespaceID: eng, Name: "X", PPL: allowEngineers}, needsManager("viewer")},
		{"guest of the namespace", apptest.Roles{eng: rbac.RoleGuest}, policies.Input{NamespaceID: eng, Name: "X", PPL: allowEngineers}, needsManager("guest")},
		{"viewer inherited from Global", apptest.Roles{global: rbac.RoleViewer}, policies.Input{NamespaceID: eng, Name: "X", PPL: allowEngineers}, needsManager("viewer")},
		{"manager of a child", apptest.Roles{prod: rbac.RoleManager}, policies.Input{NamespaceID: eng, Name: "X", PPL: allowEngineers}, noRole},
		{"manager of a sibling", apptest.Roles{fin: rbac.RoleAdmin}, policies.Input{NamespaceID: eng, Name: "X", PPL: allowEngineers}, noRole},
		{"authorization comes before validation", apptest.Roles{eng: rbac.RoleViewer}, policies.Input{NamespaceID: eng, PPL: "allow: ["}, needsManager("viewer")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Policy, error) { return e.svc.Create(t.Context(), acc, tc.in) })
			})
		})
	}
}

// TestCompilerRefusals injects compilers: a module OPA refuses (any error
// but ppl.Errors) is never stored, by Create or Update, and problems a
// compiler reports as ppl.Errors are listed like the parser's.
func TestCompilerRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		compile policies.Compiler
		want    errs.FieldError
	}{
		{"OPA refuses the module", func(string) (string, error) { return "", errForOPA },
			errs.FieldError{Code: errs.CodeInvalid, Message: "the compiled Rego was refused by OPA: " + errForOPA.Error()}},
		{"the compiler reports problems", func(string) (string, error) {
			return "", ppl.Errors{{Path: "allow.and[0].record", Message: "unknown data source"}, {Message: "too deep"}}
		}, problems("allow.and[0].record: unknown data source", "too deep")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				refuse := false
				e := newEnv(t, s, func(src string) (string, error) {
					if refuse {
						return tc.compile(src)
					}
					return policies.CompilePPL(src)
				})
				p := e.seed(t, policies.Input{NamespaceID: eng, Name: "Engineers only", PPL: allowEngineers})
				refuse = true
				acc := e.Resolve(t, root)
				want := apptest.Refusal{Fields: map[string]errs.FieldError{"ppl": tc.want}}
				apptest.WantRefused(t, s, want, func() (db.Policy, error) {
					return e.svc.Create(t.Context(), acc, policies.Input{NamespaceID: eng, Name: "New", PPL: allowEngineers})
				})
				src := denyContractor
				apptest.WantRefused(t, s, want, func() (db.Policy, error) {
					return e.svc.Update(t.Context(), acc, p.ID, policies.UpdateInput{PPL: &src})
				})
			})
		})
	}
}
