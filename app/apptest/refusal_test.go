package apptest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestRefusalCheck(t *testing.T) {
	t.Parallel()
	name := apptest.Field("name", errs.CodeRequired, "enter a name")
	formToo := &errs.ValidationError{Fields: name.Fields, Form: "save failed"}
	tests := []struct {
		name    string
		refusal apptest.Refusal
		err     error
		want    string // the failure reported; "" for none
	}{
		{"the field error", name, errs.Field("name", errs.CodeRequired, "enter a name"), ""},
		{"another message", name, errs.Field("name", errs.CodeRequired, "enter a title"), "fields = "},
		{"another code", name, errs.Field("name", errs.CodeInvalid, "enter a name"), "fields = "},
		{"another field", name, errs.Field("title", errs.CodeRequired, "enter a name"), "fields = "},
		{"a form error too", name, formToo, `(form "save failed")`},
		{"not a validation error", name, errs.Forbidden("enter a name"), "want a validation error"},
		{"no error instead of fields", name, nil, "want a validation error"},
		{"forbidden", apptest.Forbidden("you are a guest"), errs.Forbidden("you are a guest"), ""},
		{"forbidden for another reason", apptest.Forbidden("you are a guest"), errs.Forbidden("you are a viewer"), "reading"},
		{"the same words, not forbidden", apptest.Forbidden("x"), errors.New("forbidden: x"), "reading"},
		{"no error instead of forbidden", apptest.Forbidden("x"), nil, "reading"},
		{"a sentinel and message", apptest.Refusal{Target: errs.ErrConflict, Msg: "conflict: taken"}, errs.Conflict("taken"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := storetest.Failure(t, func(tb testing.TB) { tc.refusal.Check(tb, tc.err) })
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Fatalf("Check failure = %q, want one containing %q", got, tc.want)
			}
		})
	}
}

func TestWantRefused(t *testing.T) {
	t.Parallel()
	want := apptest.Forbidden("no")
	tests := []struct {
		name string
		call func(t *testing.T, s db.Store) (db.Namespace, error)
		fail string // the failure reported; "" for none
	}{
		{"refused cleanly", func(*testing.T, db.Store) (db.Namespace, error) {
			return db.Namespace{}, errs.Forbidden("no")
		}, ""},
		{"refused for another reason", func(*testing.T, db.Store) (db.Namespace, error) {
			return db.Namespace{}, errs.Forbidden("maybe")
		}, "reading"},
		{"a result with the error", func(*testing.T, db.Store) (db.Namespace, error) {
			return db.Namespace{ID: "x"}, errs.Forbidden("no")
		}, "returned {ID:x"},
		{"a write with the error", func(t *testing.T, s db.Store) (db.Namespace, error) {
			ns := db.Namespace{ID: "x", ParentID: apptest.Global, Name: "X", CreatedAt: at, ModifiedAt: at}
			if err := s.CreateNamespace(t.Context(), ns); err != nil {
				t.Fatal(err)
			}
			return db.Namespace{}, errs.Forbidden("no")
		}, "changed the store"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			got := storetest.Failure(t, func(tb testing.TB) {
				apptest.WantRefused(tb, s, want, func() (db.Namespace, error) { return tc.call(t, s) })
			})
			if (tc.fail == "") != (got == "") || !strings.Contains(got, tc.fail) {
				t.Fatalf("WantRefused failure = %q, want one containing %q", got, tc.fail)
			}
		})
	}
}

// TestWantRefusedNonComparable checks a result with slices is compared as
// a whole: an empty but non-nil slice is something returned.
func TestWantRefusedNonComparable(t *testing.T) {
	t.Parallel()
	want := apptest.Forbidden("no")
	tests := []struct {
		name string
		got  db.KeyPair
		fail string // the failure reported; "" for none
	}{
		{"the zero key pair", db.KeyPair{}, ""},
		{"a name", db.KeyPair{Name: "x"}, "returned {ID: NamespaceID: Name:x"},
		{"an empty, non-nil slice", db.KeyPair{DNSNames: []string{}}, "a refused call returned"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			got := storetest.Failure(t, func(tb testing.TB) {
				apptest.WantRefused(tb, s, want, func() (db.KeyPair, error) { return tc.got, errs.Forbidden("no") })
			})
			if (tc.fail == "") != (got == "") || !strings.Contains(got, tc.fail) {
				t.Fatalf("WantRefused failure = %q, want one containing %q", got, tc.fail)
			}
		})
	}
}
