package regotest

import (
	"testing"
	"time"
)

// TestEvalRecordsPerCall checks that sharing one prepared module between
// calls does not share their records or clocks.
func TestEvalRecordsPerCall(t *testing.T) {
	t.Parallel()
	const module = `package pomerium.policy

import rego.v1

allow := [true, {r.email}] if {
	r := get_databroker_record("type.googleapis.com/user.User", input.session.id)
	r != null
} else := [false, {"none"}]

deny := [time.now_ns() > 0, set()]
`
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := NewInput(WithSession("u1"))
	tests := []struct {
		name    string
		records []Record
		now     time.Time
		want    string
		deny    bool
	}{
		{"alice", []Record{User("u1", "alice@example.com")}, now, "alice@example.com", true},
		{"bob", []Record{User("u1", "bob@example.com")}, now, "bob@example.com", true},
		{"nobody", nil, now, "none", true},
		{"before the epoch", nil, time.Unix(-1, 0), "none", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			allow, deny, err := Eval(module, in, tc.records, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if len(allow.Reasons) != 1 || allow.Reasons[0] != tc.want {
				t.Errorf("allow reasons = %v, want [%s]", allow.Reasons, tc.want)
			}
			if deny.Value != tc.deny {
				t.Errorf("deny = %v, want %v (evaluation clock)", deny.Value, tc.deny)
			}
		})
	}
}
