package policies_test

import (
	"fmt"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestInheritedReadsEveryPolicy guards against a page cap: a namespace with
// more policies than one store page still offers all of them.
func TestInheritedReadsEveryPolicy(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s, nil)
	const n = 1203
	err := s.InTx(t.Context(), func(tx db.Store) error {
		for i := range n {
			p := db.Policy{ID: fmt.Sprint("p", i), NamespaceID: eng, Name: fmt.Sprintf("optional %04d", i), PPL: denyContractor,
				Enforced: i%400 == 0, CreatedAt: created, ModifiedAt: created}
			if err := tx.CreatePolicy(t.Context(), p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	enforced, optional, err := e.svc.Inherited(t.Context(), e.Resolve(t, root), prod)
	if err != nil {
		t.Fatal(err)
	}
	if len(enforced) != 4 || len(optional) != n-4 {
		t.Fatalf("inherited %d enforced and %d optional, want 4 and %d", len(enforced), len(optional), n-4)
	}
	if optional[len(optional)-1].Name != fmt.Sprintf("optional %04d", n-1) {
		t.Fatalf("last optional policy %q, want the last by name", optional[len(optional)-1].Name)
	}
}
