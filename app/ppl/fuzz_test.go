package ppl

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics and that whatever it accepts
// Format writes back to an equal policy.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"allow: {or: [{email: a}]}",
		`[{"deny": {"and": [{"source_ip": ["10.0.0.1", "::1/128"]}]}}]`,
		"allow: {or: [{claim/a/b: {has: 1.5e300, exclude: 'true'}}]}",
		"allow: {and: [{day_of_week: {days: fri-mon, timezone: Asia/Tokyo}}, {time_of_day: {timezone: UTC, after: 9am}}]}",
		"allow: {or: [{accept: [\"a: b\", \"#\", \"\\u0000\", -1e-9, {x: null}]}]}",
		"- allow: &x {or: [{email: a}]}\n- deny: *x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse(src)
		if err != nil {
			return
		}
		out, err := Format(p)
		if err != nil {
			t.Fatalf("Format of a parsed policy: %v\nsource: %q", err, src)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(p)): %v\nsource: %q\nformatted:\n%s", err, src, out)
		}
		if !reflect.DeepEqual(back, p) {
			t.Fatalf("round trip changed the policy\nsource: %q\nformatted:\n%s", src, out)
		}
	})
}
