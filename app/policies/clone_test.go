package policies_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestClone(t *testing.T) {
	t.Parallel()
	long, wide := strings.Repeat("a", 128), strings.Repeat("é", 128)
	tests := []struct {
		name   string
		src    string
		taken  map[string]string // name → namespace of other policies
		grants apptest.Roles     // nil: act as root
		want   string
	}{
		{name: "first copy", src: "Engineers only", want: "Engineers only (copy)"},
		{name: "by a manager of the namespace", src: "Engineers only", grants: apptest.Roles{eng: rbac.RoleManager}, want: "Engineers only (copy)"},
		{name: "by a manager inherited from Global", src: "Engineers only", grants: apptest.Roles{global: rbac.RoleManager}, want: "Engineers only (copy)"},
		{name: "second copy", src: "Engineers only", taken: map[string]string{"Engineers only (copy)": eng}, want: "Engineers only (copy 2)"},
		{name: "copies taken in other cases", src: "Engineers only",
			taken: map[string]string{"engineers only (COPY)": eng, "ENGINEERS ONLY (copy 2)": eng}, want: "Engineers only (copy 3)"},
		{name: "a copy in another namespace does not count", src: "Engineers only",
			taken: map[string]string{"Engineers only (copy)": fin}, want: "Engineers only (copy)"},
		{name: "a copy of a copy", src: "X (copy)", taken: map[string]string{"X": eng}, want: "X (copy) (copy)"},
		{name: "a name of 128 characters is cut to fit", src: long, want: long[:121] + " (copy)"},
		{name: "a cut name's copy taken", src: long, taken: map[string]string{long[:121] + " (copy)": eng}, want: long[:119] + " (copy 2)"},
		{name: "multibyte runes are cut, not bytes", src: wide, want: strings.Repeat("é", 121) + " (copy)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				src := engineersOnly
				src.Name, src.Enforced = tc.src, true
				src = e.put(t, src)
				i := 0
				for name, ns := range tc.taken {
					i++
					e.put(t, db.Policy{ID: "taken-" + string(rune('0'+i)), NamespaceID: ns, Name: name, PPL: denyContractor})
				}
				acc := e.Caller(t, tc.grants)
				before := storetest.Capture(t, s)

				clone, err := e.svc.Clone(t.Context(), acc, src.ID)
				if err != nil {
					t.Fatal(err)
				}
				want := src
				want.ID, want.Name, want.CreatedAt, want.ModifiedAt = clone.ID, tc.want, now, now
				if clone != want || clone.ID == src.ID || clone.ID == "" {
					t.Fatalf("Clone =\n%+v, want\n%+v", clone, want)
				}
				wantStored(t, s, want)
				wantStored(t, s, src)
				wantEntry(t, before.OnlyNewActivity(t, s), apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityCreate, EntityID: clone.ID, EntityName: tc.want,
					NamespaceID: eng, NamespaceName: "Engineering",
				}), nil, snapOf(want))
			})
		})
	}
}

// TestCloneTwice clones one policy again and again: each copy takes the
// next free name.
func TestCloneTwice(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s, nil)
		for _, src := range []string{"Engineers only", strings.Repeat("z", 128)} {
			p := engineersOnly
			p.ID, p.Name = "src-"+src[:1], src
			p = e.put(t, p)
			var got []string
			for range 3 {
				clone, err := e.svc.Clone(t.Context(), e.Resolve(t, root), p.ID)
				if err != nil {
					t.Fatalf("clone %q: %v", src, err)
				}
				got = append(got, clone.Name)
			}
			base := []string{src + " (copy)", src + " (copy 2)", src + " (copy 3)"}
			if len(src) == 128 {
				base = []string{src[:121] + " (copy)", src[:119] + " (copy 2)", src[:119] + " (copy 3)"}
			}
			if strings.Join(got, "|") != strings.Join(base, "|") {
				t.Errorf("clones of %q named %q, want %q", src, got, base)
			}
		}
	})
}

func TestCloneRefusesCallers(t *testing.T) {
	t.Parallel()
	for _, tc := range writeRefusals {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				e.put(t, engineersOnly)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Policy, error) { return e.svc.Clone(t.Context(), acc, tc.id) })
			})
		})
	}
}
