package render

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
)

func TestSortRoutes(t *testing.T) {
	t.Parallel()
	r := func(id, from, prefix, path, regex string) *configpb.Route {
		return &configpb.Route{Id: proto.String(id), From: from, Prefix: prefix, Path: path, Regex: regex}
	}
	tests := []struct {
		name string
		in   []*configpb.Route
		want []string
	}{
		{"from ascending", []*configpb.Route{r("1", "https://b.example.com", "", "", ""), r("2", "https://a.example.com", "", "", "")}, []string{"2", "1"}},
		{"longer path first", []*configpb.Route{r("1", "https://a", "", "/a", ""), r("2", "https://a", "", "/a/b", ""), r("3", "https://a", "", "", "")}, []string{"2", "1", "3"}},
		{"path before regex before prefix", []*configpb.Route{r("1", "https://a", "/p", "", ""), r("2", "https://a", "", "", "^/r"), r("3", "https://a", "", "/x", "")}, []string{"3", "2", "1"}},
		{"longer prefix first", []*configpb.Route{r("1", "https://a", "/", "", ""), r("2", "https://a", "/app/", "", ""), r("3", "https://a", "/app", "", "")}, []string{"2", "3", "1"}},
		{"id breaks ties", []*configpb.Route{r("b", "https://a", "/", "", ""), r("a", "https://a", "/", "", "")}, []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			SortRoutes(tc.in)
			var got []string
			for _, x := range tc.in {
				got = append(got, x.GetId())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("order = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStatNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		routes []struct {
			id, name string
			path     []string
		}
		want []string
	}{
		{"slug of path and name", []struct {
			id, name string
			path     []string
		}{{"a1", "My App (prod)", []string{"Global", "Team A"}}}, []string{"global-team-a-my-app-prod"}},
		{"non-ASCII and punctuation collapse", []struct {
			id, name string
			path     []string
		}{{"a1", "--Ünïcode__app--", []string{"Global"}}}, []string{"global-n-code-app"}},
		{"a clash gets the id's start", []struct {
			id, name string
			path     []string
		}{{"0f3c9a2e-1111", "A B", []string{"Global"}}, {"7d7e8f90-2222", "a-b", []string{"Global"}}}, []string{"global-a-b", "global-a-b-7d7e8f90"}},
		{"a clash with that too gets a number", []struct {
			id, name string
			path     []string
		}{{"1", "x", nil}, {"2", "X", nil}, {"3", "x-2", nil}, {"2", "x!", nil}}, []string{"x", "x-2", "x-2-3", "x-2-2"}},
		{"nothing left is route", []struct {
			id, name string
			path     []string
		}{{"1", "!!!", nil}}, []string{"route"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			slugs := map[*configpb.Route]string{}
			var list []*configpb.Route
			for _, r := range tc.routes {
				pr := &configpb.Route{Id: proto.String(r.id)}
				slugs[pr] = statSlug(r.path, r.name)
				list = append(list, pr)
			}
			assignStatNames(list, slugs)
			var got []string
			for _, pr := range list {
				got = append(got, pr.GetStatName())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("stat names = %q, want %q", got, tc.want)
			}
		})
	}
}
