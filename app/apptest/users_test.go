package apptest_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		u       *apptest.Users
		noStore bool
		want    []string
		wantErr string
	}{
		{"nothing uses it", &apptest.Users{}, false, nil, ""},
		{"names its users", &apptest.Users{Names: []string{"route a", "route b"}}, false, []string{"route a", "route b"}, ""},
		{"fails as told", &apptest.Users{Err: errBoom}, false, nil, "boom"},
		{"refuses a call without a store", &apptest.Users{Names: []string{"x"}}, true, nil, "apptest: users asked without a store"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var tx db.Store
			if !tc.noStore {
				tx = storetest.OpenSQLite(t)
			}
			got, err := tc.u.Hook(t.Context(), tx, "id-1")
			if !slices.Equal(got, tc.want) || (err == nil) != (tc.wantErr == "") || (err != nil && err.Error() != tc.wantErr) {
				t.Fatalf("Hook = %q, %v; want %q, %q", got, err, tc.want, tc.wantErr)
			}
			if _, err := tc.u.Hook(t.Context(), tx, "id-2"); (err == nil) != (tc.wantErr == "") {
				t.Fatalf("second call err %v", err)
			}
			if asked := tc.u.Asked(); !slices.Equal(asked, []string{"id-1", "id-2"}) {
				t.Fatalf("Asked = %q, want [id-1 id-2]", asked)
			}
		})
	}
}
