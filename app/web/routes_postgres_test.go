package web_test

import "testing"

// TestRoutesOnPostgres runs the route scenarios that lean on the store
// most against Postgres; it skips without POSTGRES_TEST_URL.
func TestRoutesOnPostgres(t *testing.T) {
	runOnPostgres(t, []scenario{
		{"list", runRoutesList},
		{"create", runRouteCreate},
		{"validation", runRouteFormValidation},
		{"edit and secrets", runRouteEditAndSecrets},
	})
}
