package regotest

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestDatabrokerGet(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 11, 12, 0, 0, 0, time.UTC)
	db, err := NewDatabroker(
		Session("s1", "u1"),
		Session("old", "u1").ExpiresAt(now.Add(-time.Nanosecond)),
		Session("fresh", "u1").ExpiresAt(now.Add(time.Hour)),
		ServiceAccount("sa", "u1").ExpiresAt(now.Add(-time.Hour)),
		// A Struct record never expires, whatever its fields say.
		Struct("example.com/x", "x1", map[string]any{"expires_at": Timestamp(now.Add(-time.Hour))}),
		Struct("pomerium.io/GeoIP", "net", map[string]any{"country": "US"}).WithIndex("10.0.0.0/8"),
		Struct("pomerium.io/GeoIP", "net6", map[string]any{"country": "DE"}).WithIndex("2001:db8::/32"),
		User("u1", "first@example.com"),
		User("u1", "second@example.com"),
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, typ, key string
		wantID         string // "" means null
	}{
		{"by id", TypeSession, "s1", "s1"},
		{"missing", TypeSession, "nope", ""},
		{"other type", TypeUser, "s1", ""},
		{"expired session", TypeSession, "old", ""},
		{"unexpired session", TypeSession, "fresh", "fresh"},
		{"expired service account", TypeServiceAccount, "sa", ""},
		{"struct never expires", "example.com/x", "x1", "x1"},
		{"index: address in range", "pomerium.io/GeoIP", "10.1.2.3", "net"},
		{"index: prefix in range", "pomerium.io/GeoIP", "10.1.0.0/16", "net"},
		{"index: wider prefix", "pomerium.io/GeoIP", "10.0.0.0/7", ""},
		{"index: v6", "pomerium.io/GeoIP", "2001:db8::1", "net6"},
		{"index: outside", "pomerium.io/GeoIP", "192.0.2.1", ""},
		{"index: id still works", "pomerium.io/GeoIP", "net", "net"},
		{"later put replaces", TypeUser, "u1", "u1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := db.Get(tc.typ, tc.key, now)
			if tc.wantID == "" {
				if got != nil {
					t.Fatalf("Get = %v, want null", got)
				}
				return
			}
			if got["id"] != tc.wantID {
				t.Fatalf("Get = %v, want id %s", got, tc.wantID)
			}
		})
	}
	if got := db.Get(TypeUser, "u1", now)["email"]; got != "second@example.com" {
		t.Errorf("email = %v, want the later record's", got)
	}
}

// TestRecordShapes checks the builders print what encoding/json prints for
// Core's protos.
func TestRecordShapes(t *testing.T) {
	t.Parallel()
	ts := time.Unix(1700000000, 5)
	tests := []struct {
		name string
		rec  Record
		want string
	}{
		{"session, zero values omitted", Session("s1", ""), `{"id":"s1"}`},
		{"session with everything", Session("s1", "u1").Impersonating("s2").ExpiresAt(ts).
			WithClaims(map[string]any{"groups": []string{"a"}}).WithDevice("any", "c1").WithDevice("", "c2"),
			`{"claims":{"groups":["a"]},"device_credentials":[{"Credential":{"Id":"c1"},"type_id":"any"},{"Credential":{"Id":"c2"}}],` +
				`"expires_at":{"nanos":5,"seconds":1700000000},"id":"s1","impersonate_session_id":"s2","user_id":"u1"}`},
		{"timestamp at a whole second", ServiceAccount("sa", "u1").ExpiresAt(time.Unix(10, 0)),
			`{"expires_at":{"seconds":10},"id":"sa","user_id":"u1"}`},
		{"directory user without groups", DirectoryUser("u1", "a@example.com"), `{"email":"a@example.com","id":"u1"}`},
		{"enrollment not approved", DeviceEnrollment("e1", ""), `{"id":"e1"}`},
		{"struct with index", Struct("t", "r", map[string]any{"n": 1}).WithIndex("10.0.0.0/8"),
			`{"$index":{"cidr":"10.0.0.0/8"},"id":"r","n":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tc.rec.Data)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestWithDoesNotAlias(t *testing.T) {
	t.Parallel()
	base := Session("s1", "u1")
	_ = base.Impersonating("s2")
	_ = base.WithDevice("any", "c1")
	if !reflect.DeepEqual(base.Data, map[string]any{"id": "s1", "user_id": "u1"}) {
		t.Errorf("base changed: %v", base.Data)
	}
}
