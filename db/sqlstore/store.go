package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store implements db.Store on database/sql. A root Store owns the pools; a
// Store handed to an InTx callback is bound to that transaction.
type Store struct {
	d     Dialect
	read  *sql.DB
	write *sql.DB
	tx    *txState
}

// txState is shared by every Store bound to one transaction, so nested
// InTx calls and their OnCommit hooks land in the outermost transaction.
type txState struct {
	tx    *sql.Tx
	mu    sync.Mutex
	hooks []func()
	// revision is the configuration revision MarkConfigChanged last
	// returned in this transaction; activity entries inserted after it
	// carry it.
	revision int64
}

var _ db.Store = (*Store)(nil)

// New returns a Store that reads through read and writes (and runs
// transactions) through write; they may be the same pool. The Store owns
// both and closes them on Close.
func New(d Dialect, read, write *sql.DB) *Store {
	return &Store{d: d, read: read, write: write}
}

// reader is where a read goes: the transaction, or the read pool.
func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx.tx
	}
	return s.read
}

// writer is where a write goes: the transaction, or the write pool.
func (s *Store) writer() querier {
	if s.tx != nil {
		return s.tx.tx
	}
	return s.write
}

// InTx runs fn in one transaction on the write pool. A Store already bound
// to a transaction runs fn in it, so only the outermost call commits.
func (s *Store) InTx(ctx context.Context, fn func(tx db.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin transaction: %w", s.d.Name, err)
	}
	// Rollback after Commit is a harmless no-op; this also covers a panic in fn.
	defer func() { _ = tx.Rollback() }()
	state := &txState{tx: tx}
	if err := fn(&Store{d: s.d, read: s.read, write: s.write, tx: state}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", s.d.Name, err)
	}
	state.mu.Lock()
	hooks := state.hooks
	state.hooks = nil
	state.mu.Unlock()
	for _, hook := range hooks {
		hook()
	}
	return nil
}

// OnCommit runs fn after the outermost transaction commits, or at once
// outside a transaction. Hooks of a rolled-back transaction never run.
func (s *Store) OnCommit(fn func()) {
	if s.tx == nil {
		fn()
		return
	}
	s.tx.mu.Lock()
	defer s.tx.mu.Unlock()
	s.tx.hooks = append(s.tx.hooks, fn)
}

// Ping checks that both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("%s: ping: %w", s.d.Name, err)
	}
	if s.write != s.read {
		if err := s.write.PingContext(ctx); err != nil {
			return fmt.Errorf("%s: ping: %w", s.d.Name, err)
		}
	}
	return nil
}

// Kind names the engine.
func (s *Store) Kind() string {
	return s.d.Name
}

// Close closes the pools. A transaction-bound Store refuses, since closing
// the pools under a running transaction is always a bug.
func (s *Store) Close() error {
	if s.tx != nil {
		return fmt.Errorf("%s: close: called inside a transaction", s.d.Name)
	}
	err := s.read.Close()
	if s.write != s.read {
		err = errors.Join(err, s.write.Close())
	}
	if err != nil {
		return fmt.Errorf("%s: close: %w", s.d.Name, err)
	}
	return nil
}

// WriteDB returns the pool that writes go through, for tools that need a
// *sql.DB of their own (goose migrations, backups).
func (s *Store) WriteDB() *sql.DB {
	return s.write
}
