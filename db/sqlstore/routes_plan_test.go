package sqlstore

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite"

	"github.com/pomerium-console-oss/pomerium-console/db"
	sqlitemigrations "github.com/pomerium-console-oss/pomerium-console/goose/sqlite"
)

// TestRouteQueriesUseIndexes asks SQLite how it runs the route queries a
// list, a name check, an overlap check and the delete guards make: each
// must find its rows through an index, and the default page must come in
// index order, so that 10,000 routes stay fast.
func TestRouteQueriesUseIndexes(t *testing.T) {
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "plan.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Dialect{Name: "sqlite", ILike: "LIKE", Goose: goose.DialectSQLite3, Migrations: sqlitemigrations.FS}, conn, conn)
	t.Cleanup(func() { _ = s.Close() })
	m, err := s.Migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		f     db.RouteFilter
		count bool     // explain the count query rather than the page
		want  []string // each must appear in the plan
		never []string // none may
	}{
		{"a name check", db.RouteFilter{NamespaceIDs: []string{"ns"}, Name: "App"}, false,
			[]string{"USING INDEX routes_namespace_name (namespace_id=? AND name_key=?)"}, []string{"SCAN"}},
		{"an overlap check", db.RouteFilter{MatchKey: "https://a|prefix:/"}, false,
			[]string{"USING INDEX routes_match_key (match_key=?)"}, []string{"SCAN"}},
		{"the routes of a policy", db.RouteFilter{PolicyID: "p"}, true,
			[]string{"USING COVERING INDEX route_policies_policy (policy_id=?)"}, []string{"SCAN"}},
		{"the routes of a key pair", db.RouteFilter{KeyPairID: "k"}, true,
			[]string{"MULTI-INDEX OR", "routes_tls_custom_ca", "routes_tls_client", "routes_tls_downstream_client_ca"}, []string{"SCAN"}},
		{"a namespace's page", db.RouteFilter{NamespaceIDs: []string{"ns"}}, false,
			[]string{"USING INDEX routes_namespace_name (namespace_id=?)"}, []string{"SCAN"}},
		{"the first page, searched", db.RouteFilter{Query: "app"}, false,
			[]string{"SCAN routes USING INDEX routes_name"}, []string{"TEMP B-TREE"}},
		{"the first page by from, descending", db.RouteFilter{Sort: db.RouteSortFrom, Desc: true}, false,
			[]string{"SCAN routes USING INDEX routes_from"}, []string{"TEMP B-TREE"}},
		{"the first page by modification", db.RouteFilter{Sort: db.RouteSortModified}, false,
			[]string{"SCAN routes USING INDEX routes_modified"}, []string{"TEMP B-TREE"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			count, list, a := s.routeQueries(tc.f)
			q := list
			if tc.count {
				q, a = count, a[:len(a)-2]
			}
			plan := explain(t, conn, q, a)
			for _, w := range tc.want {
				if !strings.Contains(plan, w) {
					t.Errorf("plan lacks %q:\n%s", w, plan)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(plan, n) {
					t.Errorf("plan has %q:\n%s", n, plan)
				}
			}
		})
	}
}

// explain returns SQLite's query plan for q, one step per line.
func explain(t *testing.T, conn *sql.DB, q string, a []any) string {
	t.Helper()
	rows, err := conn.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, a...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(steps, "\n")
}
