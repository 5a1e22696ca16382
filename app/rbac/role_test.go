package rbac_test

import (
	"fmt"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
)

func TestRoleOrdering(t *testing.T) {
	t.Parallel()
	weakestFirst := []rbac.Role{rbac.RoleNone, rbac.RoleGuest, rbac.RoleViewer, rbac.RoleManager, rbac.RoleAdmin}
	for i := 1; i < len(weakestFirst); i++ {
		if weakestFirst[i-1] >= weakestFirst[i] {
			t.Errorf("%s should be weaker than %s", weakestFirst[i-1], weakestFirst[i])
		}
	}
	for i, r := range rbac.AssignableRoles {
		if want := weakestFirst[len(weakestFirst)-1-i]; r != want {
			t.Errorf("AssignableRoles[%d] = %s, want %s (strongest first, none excluded)", i, r, want)
		}
	}
	if n := len(rbac.AssignableRoles); n != 4 {
		t.Errorf("len(AssignableRoles) = %d, want 4", n)
	}
}

func TestRoleNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role        rbac.Role
		name, title string
	}{
		{rbac.RoleAdmin, "admin", "Admin"},
		{rbac.RoleManager, "manager", "Manager"},
		{rbac.RoleViewer, "viewer", "Viewer"},
		{rbac.RoleGuest, "guest", "Guest"},
		{rbac.RoleNone, "none", "None"},
		{rbac.Role(42), "none", "None"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d", tc.role), func(t *testing.T) {
			t.Parallel()
			if got := tc.role.String(); got != tc.name {
				t.Errorf("String() = %q, want %q", got, tc.name)
			}
			if got := tc.role.Title(); got != tc.title {
				t.Errorf("Title() = %q, want %q", got, tc.title)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    rbac.Role
		wantErr string
	}{
		{in: "admin", want: rbac.RoleAdmin},
		{in: "manager", want: rbac.RoleManager},
		{in: "viewer", want: rbac.RoleViewer},
		{in: "guest", want: rbac.RoleGuest},
		{in: "", wantErr: `unknown role "" (expected admin, manager, viewer or guest)`},
		{in: "none", wantErr: `unknown role "none" (expected admin, manager, viewer or guest)`},
		{in: "Admin", wantErr: `unknown role "Admin" (expected admin, manager, viewer or guest)`},
		{in: " viewer", wantErr: `unknown role " viewer" (expected admin, manager, viewer or guest)`},
		{in: "owner", wantErr: `unknown role "owner" (expected admin, manager, viewer or guest)`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := rbac.ParseRole(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("ParseRole(%q) error = %v, want %q", tc.in, err, tc.wantErr)
				}
				if got != rbac.RoleNone {
					t.Fatalf("ParseRole(%q) = %s on error, want none", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseRole(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
			}
			if got.String() != tc.in {
				t.Fatalf("%s does not round-trip through String()", tc.in)
			}
		})
	}
}
