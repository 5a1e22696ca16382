package apptest_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestDecodeSnapshot(t *testing.T) {
	t.Parallel()
	type snap struct {
		ID string `json:"id"`
	}
	tests := []struct {
		name, side string
		want       *snap
		failure    string
	}{
		{"no side", "", nil, ""},
		{"a snapshot", `{"id": "x"}`, &snap{ID: "x"}, ""},
		{"an unknown field", `{"id": "x", "extra": 1}`, nil, `unknown field "extra"`},
		{"not JSON", `{`, nil, "decode snapshot {"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got *snap
			failure := storetest.Failure(t, func(tb testing.TB) { got = apptest.DecodeSnapshot[snap](tb, tc.side) })
			if (tc.failure == "") != (failure == "") || !strings.Contains(failure, tc.failure) {
				t.Fatalf("failure = %q, want one containing %q", failure, tc.failure)
			}
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Fatalf("DecodeSnapshot = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestActor(t *testing.T) {
	t.Parallel()
	p := authn.Principal{Kind: authn.KindPomerium, UserID: "u1", Email: "a@example.com", Name: "Ada"}
	got := apptest.Actor(p, db.ActivityEntry{ID: "e", UserID: "other", UserName: "other"})
	want := db.ActivityEntry{ID: "e", UserID: "u1", UserName: "Ada", UserEmail: "a@example.com", AuthMethod: authn.KindPomerium}
	if got != want {
		t.Fatalf("Actor = %+v, want %+v", got, want)
	}
}
