package web_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestRoutesOnPostgres runs the route scenarios that lean on the store
// most against Postgres; it skips without POSTGRES_TEST_URL.
func TestRoutesOnPostgres(t *testing.T) {
	storetest.SkipWithoutPostgres(t)
	t.Parallel()
	scenarios := []struct {
		name string
		run  func(*testing.T, appFactory)
	}{
		{"list", runRoutesList},
		{"create", runRouteCreate},
		{"validation", runRouteFormValidation},
		{"edit and secrets", runRouteEditAndSecrets},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t, postgresApp)
		})
	}
}
