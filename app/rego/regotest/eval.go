package regotest

import (
	"context"
	"sync"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
)

// prepared caches one prepared query per module text: preparing (compiling)
// costs far more than evaluating, and tables evaluate one module many times.
var prepared sync.Map

// Eval evaluates module as Core would for in at time now, with records in
// the databroker, and returns allow and deny as Core reads them.
func Eval(module string, in rego.Input, records []Record, now time.Time) (allow, deny rego.Result, err error) {
	db, err := NewDatabroker(records...)
	if err != nil {
		return allow, deny, err
	}
	p, err := prepare(module)
	if err != nil {
		return allow, deny, err
	}
	return p.Eval(withLookup(context.Background(), db, now), in, now)
}

func prepare(module string) (*rego.Prepared, error) {
	if p, ok := prepared.Load(module); ok {
		return p.(*rego.Prepared), nil
	}
	p, err := rego.Prepare(context.Background(), module, contextLookup)
	if err != nil {
		return nil, err
	}
	prepared.Store(module, p)
	return p, nil
}
