package configyaml

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Service imports plans through the console's services, so an import is
// validated, logged and marks the configuration changed exactly as the same
// edits made by hand, and exports the current configuration.
type Service struct {
	store   db.Store
	sealer  *seal.Sealer
	now     func() time.Time
	compile policies.Compiler
}

// NewService returns a Service over store.
func NewService(store db.Store, sealer *seal.Sealer, now func() time.Time, compile policies.Compiler) *Service {
	return &Service{store: store, sealer: sealer, now: now, compile: compile}
}

// errRollback ends a transaction that must not commit.
var errRollback = errors.New("configyaml: roll back")

// Preview runs the import of plan into namespace nsID in a transaction that
// is always rolled back: every entity goes through its service's checks
// against what is stored, nothing is kept. The caller needs the manager
// role on nsID (and admin on Global for settings).
func (im *Service) Preview(ctx context.Context, acc *rbac.Access, plan *Plan, nsID string) (*Outcome, error) {
	return im.run(ctx, acc, plan, nsID, false)
}

// Apply imports plan into namespace nsID in one transaction: either every
// entity is created (and the settings changed), or nothing is and the
// error is the Problems of the entities that were refused.
func (im *Service) Apply(ctx context.Context, acc *rbac.Access, plan *Plan, nsID string) (*Outcome, error) {
	out, err := im.run(ctx, acc, plan, nsID, true)
	if err == nil && !out.OK() {
		return out, out.Problems()
	}
	return out, err
}

// run imports plan, committing only when commit and every entity passed.
func (im *Service) run(ctx context.Context, acc *rbac.Access, plan *Plan, nsID string, commit bool) (*Outcome, error) {
	if err := acc.Require(nsID, rbac.RoleManager); err != nil {
		return nil, err
	}
	var out *Outcome
	err := im.store.InTx(ctx, func(tx db.Store) error {
		out = &Outcome{Plan: plan}
		r := &importRun{im: im, tx: tx, acc: acc, plan: plan, ns: nsID, out: out}
		if err := r.all(ctx); err != nil {
			return err
		}
		if !commit || !out.OK() {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, fmt.Errorf("configyaml: import: %w", err)
	}
	out.Applied = commit && out.OK()
	return out, nil
}

// importRun is one run of a plan inside its transaction.
type importRun struct {
	im    *Service
	tx    db.Store
	acc   *rbac.Access
	plan  *Plan
	ns    string
	out   *Outcome
	pols  *policies.Service
	pairs []string // created key pair id per plan index, "" when refused
	rules []string // created policy id per plan index
}

func (r *importRun) all(ctx context.Context) error {
	im := r.im
	r.pols = policies.NewService(r.tx, im.now, im.compile, routes.PolicyUsers)
	for _, step := range []func(context.Context) error{r.keyPairs, r.policies, r.routes, r.settings} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// keyPairs creates the plan's key pairs under free names.
func (r *importRun) keyPairs(ctx context.Context) error {
	svc := keypairs.NewService(r.tx, r.im.sealer, r.im.now)
	taken := map[string]map[string]bool{}
	made := map[string]string{} // namespace, certificate and key → created id
	for _, kp := range r.plan.KeyPairs {
		ns := r.ns
		if kp.Global {
			ns = db.GlobalNamespaceID
		}
		// A pair the settings need in Global is the routes' pair too when
		// the routes go to Global.
		same := ns + "\x00" + kp.Certificate + "\x00" + kp.PrivateKey
		if id, ok := made[same]; ok {
			r.pairs = append(r.pairs, id)
			continue
		}
		if taken[ns] == nil {
			names, err := keyPairNames(ctx, r.tx, ns)
			if err != nil {
				return err
			}
			taken[ns] = names
		}
		item := Item{Kind: KindKeyPair, Name: freeName(kp.Name, keypairs.MaxNameLength, taken[ns]), NamespaceID: ns, Line: kp.Line, Key: kp.Key, Status: StatusCreate}
		created, err := svc.Create(ctx, r.acc, keypairs.Input{NamespaceID: ns, Name: item.Name, Certificate: kp.Certificate, Key: kp.PrivateKey})
		if err != nil {
			if err := refusal(r.plan.File, err, &item, func(string) (int, string) { return kp.Line, kp.Key }); err != nil {
				return err
			}
		}
		item.ID = created.ID
		r.pairs = append(r.pairs, created.ID)
		if created.ID != "" {
			made[same] = created.ID
		}
		r.out.Items = append(r.out.Items, item)
	}
	return nil
}

// policies creates the plan's policies under free names.
func (r *importRun) policies(ctx context.Context) error {
	names, err := r.tx.PolicyNames(ctx, r.ns)
	if err != nil {
		return fmt.Errorf("configyaml: policy names: %w", err)
	}
	taken := map[string]bool{}
	for _, n := range names {
		taken[strings.ToLower(n)] = true
	}
	for _, pp := range r.plan.Policies {
		item := Item{Kind: KindPolicy, Name: freeName(pp.Name, policies.MaxNameLength, taken), NamespaceID: r.ns, Line: pp.Line, Key: pp.Key, Status: StatusCreate}
		created, err := r.pols.Create(ctx, r.acc, policies.Input{NamespaceID: r.ns, Name: item.Name, PPL: pp.PPL})
		if err != nil {
			if err := refusal(r.plan.File, err, &item, func(string) (int, string) { return pp.Line, pp.Key }); err != nil {
				return err
			}
		}
		item.ID = created.ID
		r.rules = append(r.rules, created.ID)
		r.out.Items = append(r.out.Items, item)
	}
	return nil
}

// routes creates the plan's routes with their policy and key pairs.
func (r *importRun) routes(ctx context.Context) error {
	svc := routes.NewService(r.tx, r.im.sealer, r.im.now, r.pols)
	for _, rp := range r.plan.Routes {
		in := rp.Input
		in.NamespaceID = r.ns
		item := Item{Kind: KindRoute, Name: in.Name, NamespaceID: r.ns, Line: rp.Line, Key: rp.Key, Status: StatusCreate}
		if !rp.NameGiven {
			name, err := r.freeRouteName(ctx, in.Name)
			if err != nil {
				return err
			}
			in.Name, item.Name = name, name
		}
		ok := true
		for _, ref := range []struct {
			index int
			dst   *string
			what  string
		}{
			{rp.CustomCA, &in.TLSCustomCAKeyPairID, "custom CA"}, {rp.ClientCert, &in.TLSClientKeyPairID, "client certificate"},
			{rp.DownstreamCA, &in.TLSDownstreamClientCAKeyPairID, "downstream client CA"},
		} {
			if ref.index >= 0 {
				if *ref.dst = r.pairs[ref.index]; *ref.dst == "" {
					blocked(r.plan.File, &item, ref.what)
					ok = false
				}
			}
		}
		if rp.Policy >= 0 {
			if id := r.rules[rp.Policy]; id != "" {
				in.PolicyIDs = []string{id}
			} else {
				blocked(r.plan.File, &item, "policy")
				ok = false
			}
		}
		if ok {
			created, err := svc.Create(ctx, r.acc, in)
			if err != nil {
				if err := refusal(r.plan.File, err, &item, rp.where); err != nil {
					return err
				}
			}
			item.ID = created.ID
		}
		r.out.Items = append(r.out.Items, item)
	}
	return nil
}

// where finds the line of a route field the route service refused.
func (rp RoutePlan) where(field string) (int, string) {
	for _, f := range []string{field, fieldHead(field)} {
		if line, ok := rp.keyLines[f]; ok {
			return line, rp.keyNames[f]
		}
	}
	return rp.Line, rp.Key
}

// freeRouteName is name, or name with a number, that no route of the
// namespace has.
func (r *importRun) freeRouteName(ctx context.Context, name string) (string, error) {
	for i := 1; ; i++ {
		candidate := numbered(name, i, routes.MaxNameLength)
		list, _, err := r.tx.ListRoutes(ctx, db.RouteFilter{NamespaceIDs: []string{r.ns}, Name: candidate, Limit: 1})
		if err != nil {
			return "", fmt.Errorf("configyaml: route names: %w", err)
		}
		if len(list) == 0 {
			return candidate, nil
		}
	}
}

// settings merges the file's settings into the stored ones.
func (r *importRun) settings(ctx context.Context) error {
	sp := r.plan.Settings
	if sp.Empty() {
		return nil
	}
	item := Item{Kind: KindSettings, Name: "Global settings", NamespaceID: db.GlobalNamespaceID, Line: sp.Keys[0].Line, Key: sp.Keys[0].Key, Status: StatusUpdate}
	where := func(field string) (int, string) {
		for _, k := range sp.Keys {
			if k.Name == fieldHead(field) {
				return k.Line, k.Key
			}
		}
		return item.Line, item.Key
	}
	svc := settings.NewService(r.tx, r.im.sealer, r.im.now)
	cur, err := svc.Get(ctx, r.acc, settings.DefaultClusterID)
	if err == nil {
		values := overlay(cur.Values, sp.Values)
		for _, ref := range []struct {
			index int
			dst   **string
		}{{sp.CertificateAuthority, &values.CertificateAuthorityKeyPairID}, {sp.DownstreamCA, &values.DownstreamMTLSCAKeyPairID}} {
			if ref.index >= 0 {
				id := r.pairs[ref.index]
				*ref.dst = &id
			}
		}
		secrets := map[settings.Secret]settings.SecretChange{}
		for name, v := range sp.Secrets {
			secrets[name] = settings.SecretChange{Value: v}
		}
		_, err = svc.Update(ctx, r.acc, settings.DefaultClusterID, settings.Update{Values: values, Secrets: secrets})
	}
	if err != nil {
		if err := refusal(r.plan.File, err, &item, where); err != nil {
			return err
		}
	}
	r.out.Items = append(r.out.Items, item)
	return nil
}

// overlay sets every setting of add that is set on a copy of base.
func overlay(base, add settings.Values) settings.Values {
	dst, src := reflect.ValueOf(&base).Elem(), reflect.ValueOf(add)
	for i := range src.NumField() {
		if !src.Field(i).IsZero() {
			dst.Field(i).Set(src.Field(i))
		}
	}
	return base
}

// keyPairNames are the lower-cased names of namespace ns's key pairs.
func keyPairNames(ctx context.Context, tx db.Store, ns string) (map[string]bool, error) {
	all, err := db.ReadAll(func(offset int) ([]db.KeyPair, int, error) {
		return tx.ListKeyPairs(ctx, db.KeyPairFilter{NamespaceIDs: []string{ns}, Offset: offset, Limit: 500})
	})
	if err != nil {
		return nil, fmt.Errorf("configyaml: key pair names: %w", err)
	}
	names := make(map[string]bool, len(all))
	for _, k := range all {
		names[strings.ToLower(k.Name)] = true
	}
	return names, nil
}

// freeName is name, or name with a number, not in taken (lower-cased),
// which it is then added to.
func freeName(name string, limit int, taken map[string]bool) string {
	for i := 1; ; i++ {
		candidate := numbered(name, i, limit)
		if !taken[strings.ToLower(candidate)] {
			taken[strings.ToLower(candidate)] = true
			return candidate
		}
	}
}

// numbered is name for i = 1, else "name (i)", cut to limit characters.
func numbered(name string, i, limit int) string {
	suffix := ""
	if i > 1 {
		suffix = fmt.Sprintf(" (%d)", i)
	}
	base := []rune(name)
	if len(base)+len(suffix) > limit {
		base = base[:limit-len(suffix)]
	}
	return string(base) + suffix
}

// sortedKeys lists m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
