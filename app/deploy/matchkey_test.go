package deploy

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestMatchKeyAgreesWithRoutes keeps matchKey in step with the key the
// routes service stores, which a discard must reproduce.
func TestMatchKeyAgreesWithRoutes(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	callers := apptest.Seeded(t, s)
	pols := policies.NewService(s, apptest.Clock, policies.CompilePPL, routes.PolicyUsers)
	svc := routes.NewService(s, apptest.NewSealer(t), apptest.Clock, pols)
	tests := []struct{ name, from, prefix, path, regex, to string }{
		{"everything", "https://a.example.com", "", "", "", "http://upstream.internal:8080"},
		{"prefix", "https://b.example.com", "/app/", "", "", "http://upstream.internal:8080"},
		{"path", "https://c.example.com", "", "/exact", "", "http://upstream.internal:8080"},
		{"regex", "https://d.example.com", "", "", "^/v[0-9]+/", "http://upstream.internal:8080"},
		{"tcp", "tcp+https://db.example.com:5432", "", "", "", "tcp://db.internal:5432"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := svc.Create(t.Context(), callers.Caller(t, nil), routes.Input{
				NamespaceID: apptest.Eng, Name: tc.name, From: tc.from, Prefix: tc.prefix, Path: tc.path, Regex: tc.regex,
				To: []string{tc.to},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := matchKey(r.From, r.Prefix, r.Path, r.Regex); got != r.MatchKey {
				t.Errorf("matchKey = %q, the routes service stored %q", got, r.MatchKey)
			}
		})
	}
}
