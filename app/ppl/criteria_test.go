package ppl

import (
	"slices"
	"testing"
)

func TestCriteriaInfo(t *testing.T) {
	t.Parallel()
	infos := Criteria()
	names := map[string]bool{}
	for _, info := range infos {
		t.Run(info.Name, func(t *testing.T) {
			if names[info.Name] {
				t.Fatalf("duplicate criterion %s", info.Name)
			}
			names[info.Name] = true
			if info.Description == "" {
				t.Error("no description")
			}
			switch info.Kind {
			case MatcherString:
				if !slices.Equal(info.Operators, StringOperators) {
					t.Errorf("operators = %v", info.Operators)
				}
			case MatcherList:
				if !slices.Equal(info.Operators, ListOperators) {
					t.Errorf("operators = %v", info.Operators)
				}
			case MatcherRecord:
				if !slices.Equal(info.Operators, StringOperators) || !slices.Equal(info.Keys, []string{"type", "field"}) {
					t.Errorf("operators = %v, keys = %v", info.Operators, info.Keys)
				}
			case MatcherNone, MatcherIP, MatcherClaimName, MatcherSSHKeys:
				if len(info.Operators)+len(info.Keys) != 0 {
					t.Errorf("operators = %v, keys = %v", info.Operators, info.Keys)
				}
			case MatcherCertificate, MatcherDevice, MatcherDate, MatcherDayOfWeek, MatcherTimeOfDay:
				if len(info.Keys) == 0 || len(info.Operators) != 0 {
					t.Errorf("operators = %v, keys = %v", info.Operators, info.Keys)
				}
			default:
				t.Errorf("unknown kind %q", info.Kind)
			}
			if info.SubPath != (info.Name == "claim") {
				t.Errorf("SubPath = %v", info.SubPath)
			}
			wantConsole := slices.Contains([]string{"date", "day_of_week", "time_of_day", "record"}, info.Name)
			if info.ConsoleOnly != wantConsole {
				t.Errorf("ConsoleOnly = %v", info.ConsoleOnly)
			}
		})
	}
	if len(infos) != 25 {
		t.Errorf("got %d criteria, want the 21 of Core plus 4 console-only", len(infos))
	}
}

func TestCriteriaReturnsCopies(t *testing.T) {
	t.Parallel()
	a := Criteria()
	a[0].Name = "changed"
	for i := range a {
		if a[i].Operators != nil {
			a[i].Operators[0] = "changed"
		}
	}
	b := Criteria()
	if b[0].Name == "changed" || slices.Contains(b[3].Operators, "changed") || StringOperators[0] != "is" {
		t.Fatal("Criteria shares state with its callers")
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"emial", "email"},  // swap
		{"emal", "email"},   // deletion
		{"emaill", "email"}, // insertion
		{"EMAIL", "email"},  // case
		{"claims", "claim"}, // plural
		{"has", ""},         // two edits from "is" is too far for a short word
		{"in", ""},          // one edit from "is", but the word is two letters
		{"xyzzy", ""},       // nothing close
		{"ssh_usernme", "ssh_username"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := suggest(tc.in, append(slices.Clone(criterionNames), "is")); got != tc.want {
				t.Fatalf("suggest(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
