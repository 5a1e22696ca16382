package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/pomerium-console-oss/pomerium-console/db/sqlstore"
	migrations "github.com/pomerium-console-oss/pomerium-console/goose/postgres"
)

// Kind is the engine name Store.Kind reports.
const Kind = "postgres"

// Pool limits: enough for a console, and well under Postgres's default
// max_connections even with a few replicas.
const (
	maxOpenConns    = 16
	maxIdleConns    = 4
	connMaxLifetime = 30 * time.Minute
)

// SQLSTATE codes of the integrity violations the store maps.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
)

// Store is the console store on one Postgres database.
type Store struct {
	*sqlstore.Store
	addr string
}

// Addr returns the server address(es) from the URL, host:port, for
// messages that must not repeat the URL (it may hold a password).
func (s *Store) Addr() string {
	return s.addr
}

// dialect is what Postgres brings to db/sqlstore.
var dialect = sqlstore.Dialect{
	Name:       Kind,
	Classify:   classify,
	ILike:      "ILIKE",
	Goose:      goose.DialectPostgres,
	Migrations: migrations.FS,
	// An advisory lock lets several replicas start (and migrate) at once.
	MigrateOptions: func() ([]goose.ProviderOption, error) {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		return []goose.ProviderOption{goose.WithSessionLocker(locker)}, nil
	},
}

// Open prepares a pool for the postgres:// URL. It does not connect: call
// Ping to find out whether the server answers. It does not migrate.
func Open(databaseURL string) (*Store, error) {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		// pgconn redacts the password in its parse errors.
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(maxOpenConns)
	pool.SetMaxIdleConns(maxIdleConns)
	pool.SetConnMaxLifetime(connMaxLifetime)
	return &Store{Store: sqlstore.New(dialect, pool, pool), addr: addresses(cfg)}, nil
}

// addresses lists host:port of the server and its fallbacks.
func addresses(cfg *pgx.ConnConfig) string {
	list := []string{hostPort(cfg.Host, cfg.Port)}
	for _, f := range cfg.Fallbacks {
		if hp := hostPort(f.Host, f.Port); hp != list[len(list)-1] {
			list = append(list, hp)
		}
	}
	return strings.Join(list, ",")
}

// hostPort formats a TCP address or a Unix socket folder.
func hostPort(host string, port uint16) string {
	if strings.HasPrefix(host, "/") {
		return host
	}
	return net.JoinHostPort(host, strconv.Itoa(int(port)))
}

// Connect pings the server. On failure it returns the root cause alone
// (e.g. "dial tcp 127.0.0.1:5433: connect: connection refused" or the
// server's FATAL message) for a caller that names the address itself.
func (s *Store) Connect(ctx context.Context) error {
	err := s.Ping(ctx)
	if err == nil {
		return nil
	}
	// pgx wraps the cause in one line per host and TLS attempt; the server's
	// own answer, else the network error, is what a person needs to see.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return netErr
	}
	return err
}

// classify reads the SQLSTATE of a pgx error.
func classify(err error) sqlstore.Violation {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return sqlstore.NoViolation
	}
	switch e.Code {
	case codeUniqueViolation:
		return sqlstore.UniqueViolation
	case codeForeignKeyViolation:
		return sqlstore.ForeignKeyViolation
	}
	return sqlstore.NoViolation
}
