package ppl

import (
	"fmt"
	"strings"
	"testing"
)

// fiftyRules is a 50-rule list policy cycling through common criteria.
func fiftyRules() []byte {
	shapes := []string{
		"email: {ends_with: \"@example%d.com\"}",
		"claim/groups: {has: team-%d}",
		"source_ip: [10.%d.0.0/16, 192.168.1.7]",
		"http_path: {starts_with: /api/v%d/}",
		"day_of_week: {days: mon-fri, timezone: Europe/Paris}  # %d",
		"time_of_day: {timezone: America/New_York, after: \"8:00 AM\", before: \"%d:00\"}",
		"device: {type: enclave_only, approved: true}  # %d",
		"user: {in: [u-%d, u-2, u-3]}",
	}
	var b strings.Builder
	for i := range 50 {
		action := "allow"
		if i%5 == 4 {
			action = "deny"
		}
		fmt.Fprintf(&b, "- %s:\n    and:\n", action)
		for j := range 3 {
			fmt.Fprintf(&b, "      - "+shapes[(i+j)%len(shapes)]+"\n", 10+j)
		}
		fmt.Fprintf(&b, "    not:\n      - "+shapes[(i+3)%len(shapes)]+"\n", 11)
	}
	return []byte(b.String())
}

func BenchmarkParse50Rules(b *testing.B) {
	src := fiftyRules()
	p, err := Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Rules) != 50 {
		b.Fatalf("got %d rules", len(p.Rules))
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormat50Rules(b *testing.B) {
	p, err := Parse(fiftyRules())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Format(p); err != nil {
			b.Fatal(err)
		}
	}
}
