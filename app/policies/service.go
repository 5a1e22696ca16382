package policies

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Compiler turns PPL source into a Rego module that OPA accepted. Problems
// with the source come back as ppl.Errors, every one of them; any other
// error means the module itself was refused.
type Compiler func(src string) (string, error)

// Users names what still uses a policy (routes, later), so it is not deleted
// from under them.
type Users func(ctx context.Context, tx db.Store, policyID string) ([]string, error)

// Service changes policies. Every mutation needs the manager role on the
// policy's namespace, and writes its activity entry in the same transaction.
type Service struct {
	store   db.Store
	now     func() time.Time
	compile Compiler
	users   []Users
}

// NewService returns a Service over store.
func NewService(store db.Store, now func() time.Time, compile Compiler, users ...Users) *Service {
	return &Service{store: store, now: now, compile: compile, users: users}
}

// Create validates, compiles and stores a new policy.
func (s *Service) Create(ctx context.Context, acc *rbac.Access, in Input) (db.Policy, error) {
	if err := acc.Require(in.NamespaceID, rbac.RoleManager); err != nil {
		return db.Policy{}, err
	}
	now := s.now()
	p := db.Policy{
		ID: uuid.NewString(), NamespaceID: in.NamespaceID, Name: in.Name, Description: in.Description,
		Explanation: in.Explanation, Remediation: in.Remediation, Enforced: in.Enforced, PPL: in.PPL,
		CreatedAt: now, ModifiedAt: now,
	}
	err := s.store.InTx(ctx, func(tx db.Store) error {
		var err error
		if p, err = s.prepare(ctx, tx, p); err != nil {
			return err
		}
		if err := tx.CreatePolicy(ctx, p); err != nil {
			return nameTaken(err, p.Name)
		}
		return s.logChange(ctx, tx, acc, db.ActivityCreate, nil, &p)
	})
	if err != nil {
		return db.Policy{}, err
	}
	return p, nil
}

// Update changes the set fields of policy id.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, id string, in UpdateInput) (db.Policy, error) {
	var updated db.Policy
	err := s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		updated = in.Patch(old)
		updated.ModifiedAt = s.now()
		if updated, err = s.prepare(ctx, tx, updated); err != nil {
			return err
		}
		if sameContent(old, updated) {
			updated = old
			return nil
		}
		if err := tx.UpdatePolicy(ctx, updated); err != nil {
			return nameTaken(err, updated.Name)
		}
		return s.logChange(ctx, tx, acc, db.ActivityUpdate, &old, &updated)
	})
	if err != nil {
		return db.Policy{}, err
	}
	return updated, nil
}

// Clone copies policy id into the same namespace under a free name
// ("Name (copy)", "Name (copy 2)", …).
func (s *Service) Clone(ctx context.Context, acc *rbac.Access, id string) (db.Policy, error) {
	var clone db.Policy
	err := s.store.InTx(ctx, func(tx db.Store) error {
		src, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		name, err := s.freeCopyName(ctx, tx, src)
		if err != nil {
			return err
		}
		now := s.now()
		clone = src
		clone.ID, clone.Name, clone.CreatedAt, clone.ModifiedAt = uuid.NewString(), name, now, now
		if err := tx.CreatePolicy(ctx, clone); err != nil {
			return fmt.Errorf("policies: clone: %w", err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityCreate, nil, &clone)
	})
	if err != nil {
		return db.Policy{}, err
	}
	return clone, nil
}

// Delete removes policy id unless something still uses it.
func (s *Service) Delete(ctx context.Context, acc *rbac.Access, id string) error {
	return s.store.InTx(ctx, func(tx db.Store) error {
		p, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		var using []string
		for _, u := range s.users {
			names, err := u(ctx, tx, id)
			if err != nil {
				return fmt.Errorf("policies: find users: %w", err)
			}
			using = append(using, names...)
		}
		if len(using) > 0 {
			return errs.Conflict("policy %q is still used by %s: detach it from them first", p.Name, strings.Join(using, ", "))
		}
		if err := tx.DeletePolicy(ctx, id); err != nil {
			return fmt.Errorf("policies: delete: %w", err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityDelete, &p, nil)
	})
}

// Preview compiles src for the editor: the Rego, or every problem.
func (s *Service) Preview(src string) (string, error) {
	return s.compile(src)
}

// getManaged loads policy id for a caller who must manage its namespace.
func (s *Service) getManaged(ctx context.Context, tx db.Store, acc *rbac.Access, id string) (db.Policy, error) {
	p, err := tx.GetPolicy(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return db.Policy{}, errs.NotFound("policy %s does not exist", id)
	}
	if err != nil {
		return db.Policy{}, fmt.Errorf("policies: get: %w", err)
	}
	if err := acc.Require(p.NamespaceID, rbac.RoleManager); err != nil {
		return db.Policy{}, err
	}
	return p, nil
}

// prepare trims and validates p, reporting every failing field at once, and
// fills its Rego.
func (s *Service) prepare(ctx context.Context, tx db.Store, p db.Policy) (db.Policy, error) {
	p.Name = strings.TrimSpace(p.Name)
	p.Description = strings.TrimSpace(p.Description)
	p.Explanation = strings.TrimSpace(p.Explanation)
	p.Remediation = strings.TrimSpace(p.Remediation)
	var v errs.Validator
	v.Name("name", p.Name, MaxNameLength)
	for field, text := range map[string]string{"description": p.Description, "explanation": p.Explanation, "remediation": p.Remediation} {
		if n := utf8.RuneCountInString(text); n > MaxTextLength {
			v.Add(field, errs.CodeTooLong, "must be at most %d characters (got %d)", MaxTextLength, n)
		}
	}
	s.compileInto(&v, &p)
	if !v.Has("name") {
		if err := s.checkNameFree(ctx, tx, p, &v); err != nil {
			return p, err
		}
	}
	return p, v.Err()
}

// compileInto sets p.Rego or records why the PPL cannot become Rego.
func (s *Service) compileInto(v *errs.Validator, p *db.Policy) {
	switch {
	case strings.TrimSpace(p.PPL) == "":
		v.Add("ppl", errs.CodeRequired, "write the policy's rules in PPL")
		return
	case len(p.PPL) > MaxPPLLength:
		v.Add("ppl", errs.CodeTooLong, "must be at most %d bytes (got %d)", MaxPPLLength, len(p.PPL))
		return
	}
	rego, err := s.compile(p.PPL)
	var problems ppl.Errors
	switch {
	case errors.As(err, &problems):
		v.Add("ppl", errs.CodeInvalid, "%s", strings.Join(problemsOf(problems), "\n"))
	case err != nil:
		v.Add("ppl", errs.CodeInvalid, "the compiled Rego was refused by OPA: %v", err)
	default:
		p.Rego = rego
	}
}

// checkNameFree refuses a name another policy of the namespace has.
func (s *Service) checkNameFree(ctx context.Context, tx db.Store, p db.Policy, v *errs.Validator) error {
	names, err := namesIn(ctx, tx, p.NamespaceID, p.ID)
	if err != nil {
		return fmt.Errorf("policies: check name: %w", err)
	}
	if i := indexFold(names, p.Name); i >= 0 {
		v.Add("name", errs.CodeConflict, "this namespace already has a policy named %q", names[i])
	}
	return nil
}

// namesIn lists the names of the policies of namespace nsID but except.
// NB: names are compared here, not with the store's search, which folds
// only ASCII case on SQLite and would miss "équipe" for "Équipe".
func namesIn(ctx context.Context, tx db.Store, nsID, except string) ([]string, error) {
	byID, err := tx.PolicyNames(ctx, nsID)
	if err != nil {
		return nil, err
	}
	delete(byID, except)
	return slices.Sorted(maps.Values(byID)), nil
}

// indexFold finds name in names, ignoring case.
func indexFold(names []string, name string) int {
	return slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, name) })
}

// freeCopyName finds the first "Name (copy N)" not taken in the namespace,
// cutting Name so that the copy's name fits MaxNameLength.
func (s *Service) freeCopyName(ctx context.Context, tx db.Store, src db.Policy) (string, error) {
	taken, err := namesIn(ctx, tx, src.NamespaceID, "")
	if err != nil {
		return "", fmt.Errorf("policies: clone: %w", err)
	}
	for i := 1; ; i++ {
		suffix := " (copy)"
		if i > 1 {
			suffix = fmt.Sprintf(" (copy %d)", i)
		}
		base := []rune(src.Name)
		if len(base)+utf8.RuneCountInString(suffix) > MaxNameLength {
			base = base[:MaxNameLength-utf8.RuneCountInString(suffix)]
		}
		if name := string(base) + suffix; indexFold(taken, name) < 0 {
			return name, nil
		}
	}
}

// logChange writes the activity entry of a mutation and marks the
// configuration pushed to Pomerium as changed.
func (s *Service) logChange(ctx context.Context, tx db.Store, acc *rbac.Access, typ string, before, after *db.Policy) error {
	return activity.LogConfigChange(ctx, tx, acc, s.now(), typ, activity.EntityPolicy, before, after, describe)
}

func describe(p db.Policy) activity.Described {
	return activity.Described{ID: p.ID, Name: p.Name, NamespaceID: p.NamespaceID, Snapshot: snapshotOf(p)}
}

// nameTaken turns a store conflict (a concurrent policy with the same name)
// into the field error the pre-check gives.
func nameTaken(err error, name string) error {
	if errors.Is(err, db.ErrConflict) {
		return errs.Field("name", errs.CodeConflict, "this namespace already has a policy named %q", name)
	}
	return fmt.Errorf("policies: write: %w", err)
}

func sameContent(a, b db.Policy) bool {
	return a.Name == b.Name && a.Description == b.Description && a.Explanation == b.Explanation &&
		a.Remediation == b.Remediation && a.Enforced == b.Enforced && a.PPL == b.PPL
}

// CompilePPL is the Compiler the console runs: parse, compile to Rego,
// check the module with OPA as Pomerium Core would load it.
func CompilePPL(src string) (string, error) {
	p, err := ppl.Parse([]byte(src))
	if err != nil {
		return "", err
	}
	return rego.CompileChecked(p, rego.Options{})
}
