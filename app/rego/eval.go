package rego

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	opa "github.com/open-policy-agent/opa/rego"
	"github.com/open-policy-agent/opa/topdown/print"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// moduleName and query are what Core prepares every policy module with.
const (
	moduleName = "pomerium.policy"
	query      = "result = data.pomerium.policy"
)

// Result is allow or deny as Core reads it (rego-contract §4).
type Result struct {
	Value bool
	// Reasons are sorted and free of duplicates.
	Reasons []string
	// Data is the rule's additional data (e.g. device_type); nil if none.
	Data map[string]any
}

// Check prepares module exactly as Core does and evaluates it once for an
// anonymous GET, returning OPA's message (with line and column) for a
// module Core would fail to compile, an empty result (a package other than
// pomerium.policy), an evaluation error, or an allow/deny Core could not
// read. A module that fails Check must not be saved: one broken module
// stops Core's policy updates for every route.
func Check(module string) error {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	_, _, err := Evaluate(ctx, module, anonymousRequest(), nil, time.Now())
	return err
}

// checkTimeout bounds Check, so a hand-written module that loops over a
// huge range fails the check instead of hanging the caller.
const checkTimeout = 10 * time.Second

// CompileChecked compiles p and checks the result, for the policy service.
func CompileChecked(p *ppl.Policy, opts Options) (string, error) {
	module, err := Compile(p, opts)
	if err != nil {
		return "", err
	}
	if err := Check(module); err != nil {
		return "", fmt.Errorf("rego: compiled module fails the check (a compiler bug): %w", err)
	}
	return module, nil
}

// Evaluate runs module against input (usually an Input) as Core's
// authorize service would at time now, with lookup answering
// get_databroker_record (nil: no records). It is Check plus the decoded
// decisions, for the policy tester and the tests.
func Evaluate(ctx context.Context, module string, input any, lookup RecordLookup, now time.Time) (allow, deny Result, err error) {
	p, err := Prepare(ctx, module, lookup)
	if err != nil {
		return allow, deny, err
	}
	return p.Eval(ctx, input, now)
}

// Prepared is a module compiled once, as Core does on a config change, to
// be evaluated for many requests. It is safe for concurrent use.
type Prepared struct {
	pq opa.PreparedEvalQuery
}

// Prepare compiles module exactly as Core does (see Check), with lookup
// answering get_databroker_record (nil: no records). A lookup that needs
// per-request data can read it from the context passed to Eval.
func Prepare(ctx context.Context, module string, lookup RecordLookup) (*Prepared, error) {
	pq, err := prepare(ctx, module, lookup)
	if err != nil {
		return nil, fmt.Errorf("rego: %w", err)
	}
	return &Prepared{pq: pq}, nil
}

// Eval evaluates the module for input at time now and decodes allow and
// deny per rego-contract §4.
func (p *Prepared) Eval(ctx context.Context, input any, now time.Time) (allow, deny Result, err error) {
	rs, err := p.pq.Eval(ctx, opa.EvalInput(input), opa.EvalTime(now))
	if err != nil {
		return allow, deny, fmt.Errorf("rego: evaluate: %w", err)
	}
	if len(rs) == 0 {
		return allow, deny, fmt.Errorf("rego: evaluate: empty result; the module's package must be %s", moduleName)
	}
	doc, ok := rs[0].Bindings["result"].(map[string]any)
	if !ok {
		return allow, deny, fmt.Errorf("rego: evaluate: data.%s is %T, want an object", moduleName, rs[0].Bindings["result"])
	}
	if allow, err = decode("allow", doc); err != nil {
		return allow, deny, err
	}
	deny, err = decode("deny", doc)
	return allow, deny, err
}

// prepare mirrors Core's prepareQuery, including its one retry with a
// package line for a module that has none.
func prepare(ctx context.Context, module string, lookup RecordLookup) (opa.PreparedEvalQuery, error) {
	pq, err := newQuery(module, lookup).PrepareForEval(ctx)
	if err != nil && strings.Contains(err.Error(), "package expected") {
		pq, err = newQuery("package "+moduleName+"\n\n"+module, lookup).PrepareForEval(ctx)
	}
	return pq, err
}

func newQuery(module string, lookup RecordLookup) *opa.Rego {
	opts := []func(*opa.Rego){
		opa.Module(moduleName, module),
		opa.Query(query),
		opa.EnablePrintStatements(true),
		opa.PrintHook(debugPrinter{}),
	}
	return opa.New(append(opts, builtins(lookup)...)...)
}

// debugPrinter logs print() output at debug level, as Core does.
type debugPrinter struct{}

func (debugPrinter) Print(pctx print.Context, msg string) error {
	slog.DebugContext(pctx.Context, "rego: "+msg)
	return nil
}

// decode reads doc[name] the way Core does, but refuses what Core would
// silently treat as false: a non-boolean, a wrong-length array or
// mistyped reasons or data. A missing rule is false, as in Core.
func decode(name string, doc map[string]any) (Result, error) {
	v, ok := doc[name]
	if !ok {
		return Result{}, nil
	}
	bad := func(format string, args ...any) (Result, error) {
		return Result{}, fmt.Errorf("rego: %s: "+format, append([]any{name}, args...)...)
	}
	switch x := v.(type) {
	case bool:
		return Result{Value: x}, nil
	case []any:
		if len(x) < 1 || len(x) > 3 {
			return bad("array of %d elements, want 1 to 3", len(x))
		}
		b, ok := x[0].(bool)
		if !ok {
			return bad("element 0 is %T, want a boolean", x[0])
		}
		r := Result{Value: b}
		if len(x) > 1 {
			reasons, ok := x[1].([]any)
			if !ok {
				return bad("element 1 is %T, want a set of reasons", x[1])
			}
			for _, reason := range reasons {
				r.Reasons = append(r.Reasons, fmt.Sprint(reason))
			}
			slices.Sort(r.Reasons)
			r.Reasons = slices.Compact(r.Reasons)
		}
		if len(x) > 2 {
			data, ok := x[2].(map[string]any)
			if !ok {
				return bad("element 2 is %T, want an object", x[2])
			}
			if len(data) > 0 {
				r.Data = data
			}
		}
		return r, nil
	default:
		return bad("is %T, want a boolean or an array", v)
	}
}
