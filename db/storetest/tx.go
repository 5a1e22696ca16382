package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

var errBoom = errors.New("boom")

// child is a namespace under Global.
func child(id, name string) db.Namespace {
	return db.Namespace{ID: id, ParentID: db.GlobalNamespaceID, Name: name, CreatedAt: at(0), ModifiedAt: at(0)}
}

// exists reports whether namespace id is visible through s.
func exists(t *testing.T, s db.Store, id string) bool {
	t.Helper()
	_, err := s.GetNamespace(context.Background(), id)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("get namespace %s: %v", id, err)
	}
	return err == nil
}

func testStore(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"kind and ping": func(t *testing.T, s db.Store) {
			if !slices.Contains([]string{"sqlite", "postgres"}, s.Kind()) {
				t.Fatalf("Kind() = %q", s.Kind())
			}
			must(t, s.Ping(t.Context()))
		},
		"on commit outside a transaction runs at once": func(t *testing.T, s db.Store) {
			ran := false
			s.OnCommit(func() { ran = true })
			if !ran {
				t.Fatal("hook did not run")
			}
		},
	})
}

func testTx(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"commit makes writes visible, then runs hooks": func(t *testing.T, s db.Store) {
			var ran atomic.Int32
			err := s.InTx(t.Context(), func(tx db.Store) error {
				must(t, tx.CreateNamespace(t.Context(), child("a", "A")))
				if !exists(t, tx, "a") {
					t.Error("the transaction does not see its own write")
				}
				if exists(t, s, "a") {
					t.Error("an uncommitted write is visible outside the transaction")
				}
				tx.OnCommit(func() {
					// Hooks run after commit: the write is visible everywhere.
					if !exists(t, s, "a") {
						t.Error("hook ran before the commit was visible")
					}
					ran.Add(1)
				})
				if ran.Load() != 0 {
					t.Error("hook ran inside the transaction")
				}
				return nil
			})
			must(t, err)
			if ran.Load() != 1 {
				t.Fatalf("hook ran %d times, want 1", ran.Load())
			}
			if !exists(t, s, "a") {
				t.Fatal("committed write is missing")
			}
		},
		"an error rolls back and drops hooks": func(t *testing.T, s db.Store) {
			ran := false
			err := s.InTx(t.Context(), func(tx db.Store) error {
				must(t, tx.CreateNamespace(t.Context(), child("a", "A")))
				tx.OnCommit(func() { ran = true })
				return errBoom
			})
			wantErr(t, err, errBoom)
			if ran {
				t.Error("hook ran after a rollback")
			}
			if exists(t, s, "a") {
				t.Error("rolled-back write is visible")
			}
		},
		"nested calls share the outer transaction": func(t *testing.T, s db.Store) {
			for _, outerErr := range []error{nil, errBoom} {
				ran := 0
				err := s.InTx(t.Context(), func(tx db.Store) error {
					must(t, tx.CreateNamespace(t.Context(), child("outer", "Outer")))
					must(t, tx.InTx(t.Context(), func(inner db.Store) error {
						if !exists(t, inner, "outer") {
							t.Error("inner transaction does not see the outer write")
						}
						inner.OnCommit(func() { ran++ })
						return inner.CreateNamespace(t.Context(), child("inner", "Inner"))
					}))
					if ran != 0 {
						t.Error("inner InTx committed on its own")
					}
					if exists(t, s, "inner") {
						t.Error("inner write visible before the outer commit")
					}
					return outerErr
				})
				wantErr(t, err, outerErr)
				committed := outerErr == nil
				if got := exists(t, s, "outer") && exists(t, s, "inner"); got != committed {
					t.Fatalf("outer error %v: writes persisted = %v", outerErr, got)
				}
				want := 0
				if committed {
					want = 1
				}
				if ran != want {
					t.Fatalf("outer error %v: hook ran %d times, want %d", outerErr, ran, want)
				}
				if committed {
					must(t, s.DeleteNamespace(t.Context(), "inner"))
					must(t, s.DeleteNamespace(t.Context(), "outer"))
				}
			}
		},
		"an inner error rolls back everything": func(t *testing.T, s db.Store) {
			err := s.InTx(t.Context(), func(tx db.Store) error {
				must(t, tx.CreateNamespace(t.Context(), child("outer", "Outer")))
				return tx.InTx(t.Context(), func(inner db.Store) error {
					must(t, inner.CreateNamespace(t.Context(), child("inner", "Inner")))
					return errBoom
				})
			})
			wantErr(t, err, errBoom)
			if exists(t, s, "outer") || exists(t, s, "inner") {
				t.Fatal("writes survived an inner error")
			}
		},
		"a panic rolls back and frees the connection": func(t *testing.T, s db.Store) {
			func() {
				defer func() {
					if recover() == nil {
						t.Error("panic was swallowed")
					}
				}()
				_ = s.InTx(t.Context(), func(tx db.Store) error {
					must(t, tx.CreateNamespace(t.Context(), child("a", "A")))
					panic(errBoom)
				})
			}()
			if exists(t, s, "a") {
				t.Fatal("write survived a panic")
			}
			// A leaked single SQLite write connection would block here.
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				return tx.CreateNamespace(t.Context(), child("b", "B"))
			}))
		},
		"closing a transaction-bound store is refused": func(t *testing.T, s db.Store) {
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				if err := tx.Close(); err == nil {
					t.Error("Close inside InTx succeeded")
				}
				return nil
			}))
			must(t, s.Ping(t.Context()))
		},
		"a cancelled context does not begin": func(t *testing.T, s db.Store) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			called := false
			err := s.InTx(ctx, func(db.Store) error { called = true; return nil })
			if err == nil || called {
				t.Fatalf("InTx on a cancelled context: err %v, fn called %v", err, called)
			}
		},
		"concurrent read-then-write transactions all succeed": func(t *testing.T, s db.Store) {
			// On SQLite a deferred transaction would hit SQLITE_BUSY on the
			// lock upgrade here; on Postgres this is plain concurrency.
			const n = 8
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Go(func() {
					errs <- s.InTx(t.Context(), func(tx db.Store) error {
						if _, err := tx.ListNamespaces(t.Context()); err != nil {
							return err
						}
						id := string(rune('a' + i))
						return tx.CreateNamespace(t.Context(), child(id, "Name "+id))
					})
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				must(t, err)
			}
			list, err := s.ListNamespaces(t.Context())
			must(t, err)
			if len(list) != n+1 {
				t.Fatalf("%d namespaces, want %d", len(list), n+1)
			}
		},
	})
}
