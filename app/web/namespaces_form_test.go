package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// namespaceByName finds a namespace in the store.
func namespaceByName(t testing.TB, app *testutil.App, name string) (db.Namespace, bool) {
	t.Helper()
	all, err := app.Store.ListNamespaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range all {
		if ns.Name == name {
			return ns, true
		}
	}
	return db.Namespace{}, false
}

// jsonField reads one string field of an activity snapshot.
func jsonField(t testing.TB, doc, field string) string {
	t.Helper()
	if doc == "" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatalf("snapshot %q: %v", doc, err)
	}
	s, _ := m[field].(string)
	return s
}

func TestNamespaceLifecycleThroughForms(t *testing.T) {
	t.Parallel()
	runNamespaceLifecycleThroughForms(t, testutil.NewApp)
}

func runNamespaceLifecycleThroughForms(t *testing.T, newApp appFactory) {
	app := newApp(t)
	sales := app.Namespace(t, global, "Sales")
	admin := app.AsRecovery(t, global)

	form := admin.Get(nsURL(global, "namespaces/new"))
	wantStatus(t, form, http.StatusOK)
	if v, _ := form.Doc.Find(`select[name="parentId"] option[selected]`).Attr("value"); v != global {
		t.Fatalf("new form preselects parent %q, want Global", v)
	}

	// create
	settle()
	res := admin.PostForm(nsURL(global, "namespaces"), url.Values{"name": {"  Engineering "}, "parentId": {global}})
	wantStatus(t, res, http.StatusSeeOther)
	eng, ok := namespaceByName(t, app, "Engineering")
	if !ok || eng.ParentID != global {
		t.Fatalf("created namespace %+v (name trimmed, under Global)", eng)
	}
	if res.Location() != nsURL(eng.ID, "namespaces") {
		t.Fatalf("create redirects to %q", res.Location())
	}
	list := admin.Get(res.Location())
	if got := list.Text(`[data-testid="toast"]`); got != "Namespace “Engineering” created." {
		t.Errorf("toast %q", got)
	}
	platform := app.Namespace(t, eng.ID, "Platform")

	// rename
	edit := admin.Get(nsURL(global, "namespaces/"+eng.ID+"/edit"))
	wantStatus(t, edit, http.StatusOK)
	if v, _ := edit.Doc.Find(`input[name="name"]`).Attr("value"); v != "Engineering" {
		t.Errorf("edit form name %q", v)
	}
	for _, opt := range texts(edit, `select[name="parentId"] option`) {
		if opt == "Engineering" || opt == "Platform" {
			t.Errorf("edit form offers %q, inside the edited namespace, as parent", opt)
		}
	}
	settle()
	res = admin.PostForm(nsURL(global, "namespaces/"+eng.ID), url.Values{"name": {"R&D"}, "parentId": {global}})
	wantStatus(t, res, http.StatusSeeOther)
	list = admin.Get(res.Location())
	if got := list.Text(`[data-testid="toast"]`); got != "Namespace “R&D” saved." {
		t.Errorf("toast %q", got)
	}
	if !list.Has(`[data-testid="ns-row-R&D"]`) || list.Has(`[data-testid="ns-row-Engineering"]`) {
		t.Error("tree does not show the new name")
	}

	// move
	settle()
	wantStatus(t, admin.PostForm(nsURL(global, "namespaces/"+eng.ID), url.Values{"name": {"R&D"}, "parentId": {sales}}), http.StatusSeeOther)
	moved, _ := app.Store.GetNamespace(context.Background(), eng.ID)
	if moved.ParentID != sales {
		t.Fatalf("parent after move %q, want Sales", moved.ParentID)
	}
	list = admin.Get(nsURL(global, "namespaces"))
	if cls, _ := list.Doc.Find(`[data-testid="ns-row-Platform"] td`).First().Attr("class"); !strings.Contains(cls, "d3") {
		t.Errorf("Platform under Global/Sales/R&D has class %q, want depth 3", cls)
	}

	// delete (leaf first: a namespace with children is refused elsewhere)
	settle()
	wantStatus(t, admin.PostForm(nsURL(global, "namespaces/"+platform+"/delete"), nil), http.StatusSeeOther)
	settle()
	res = admin.PostForm(nsURL(global, "namespaces/"+eng.ID+"/delete"), nil)
	wantStatus(t, res, http.StatusSeeOther)
	list = admin.Get(res.Location())
	if got := texts(list, `[data-testid="toast"]`); !slices.Equal(got, []string{"Namespace “Platform” deleted.", "Namespace “R&D” deleted."}) {
		t.Errorf("toasts %q", got)
	}
	if _, ok := namespaceByName(t, app, "R&D"); ok {
		t.Fatal("namespace still exists")
	}

	// every mutation is in the log, newest first, with before and after
	entries := activityEntries(t, app)
	want := []struct{ typ, name, beforeName, afterName, beforeParent, afterParent string }{
		{db.ActivityDelete, "R&D", "R&D", "", sales, ""},
		{db.ActivityDelete, "Platform", "Platform", "", eng.ID, ""},
		{db.ActivityUpdate, "R&D", "R&D", "R&D", global, sales},
		{db.ActivityUpdate, "R&D", "Engineering", "R&D", global, global},
		{db.ActivityCreate, "Engineering", "", "Engineering", "", global},
	}
	if len(entries) != len(want) {
		t.Fatalf("%d activity entries, want %d", len(entries), len(want))
	}
	for i, w := range want {
		e := entries[i]
		if e.ActivityType != w.typ || e.EntityType != "namespace" || e.EntityName != w.name || e.AuthMethod != "recovery" || e.CreatedAt.IsZero() {
			t.Errorf("entry %d: %s %s %q by %s at %v, want %s namespace %q by recovery", i, e.ActivityType, e.EntityType, e.EntityName, e.AuthMethod, e.CreatedAt, w.typ, w.name)
		}
		if got := jsonField(t, e.Before, "name"); got != w.beforeName {
			t.Errorf("entry %d: before name %q, want %q", i, got, w.beforeName)
		}
		if got := jsonField(t, e.After, "name"); got != w.afterName {
			t.Errorf("entry %d: after name %q, want %q", i, got, w.afterName)
		}
		if got := jsonField(t, e.Before, "parentId"); got != w.beforeParent {
			t.Errorf("entry %d: before parent %q, want %q", i, got, w.beforeParent)
		}
		if got := jsonField(t, e.After, "parentId"); got != w.afterParent {
			t.Errorf("entry %d: after parent %q, want %q", i, got, w.afterParent)
		}
	}
}

func TestNamespaceFormValidation(t *testing.T) {
	t.Parallel()
	runNamespaceFormValidation(t, testutil.NewApp)
}

func runNamespaceFormValidation(t *testing.T, newApp appFactory) {
	app := newApp(t)
	eng := app.Namespace(t, global, "Engineering")
	platform := app.Namespace(t, eng, "Platform")
	app.Namespace(t, global, "Sales")
	long := strings.Repeat("n", 129)
	tests := []struct {
		name   string
		path   string // the form's action, below Global
		form   url.Values
		errors map[string]string
	}{
		{"empty name", "namespaces", url.Values{"name": {""}, "parentId": {global}}, map[string]string{"name": "enter a name"}},
		{"blank name", "namespaces", url.Values{"name": {"   "}, "parentId": {global}}, map[string]string{"name": "enter a name"}},
		{"129 characters", "namespaces", url.Values{"name": {long}, "parentId": {global}}, map[string]string{"name": "must be at most 128 characters (got 129)"}},
		{"line break", "namespaces", url.Values{"name": {"a\nb"}, "parentId": {global}}, map[string]string{"name": "must not contain control characters"}},
		{"duplicate sibling, other case", "namespaces", url.Values{"name": {"engineering"}, "parentId": {global}}, map[string]string{"name": `a namespace named "Engineering" already exists in "Global"`}},
		{"unknown parent", "namespaces", url.Values{"name": {"New"}, "parentId": {"no-such-parent"}}, map[string]string{"parentId": "parent namespace no-such-parent does not exist"}},
		{"no parent", "namespaces", url.Values{"name": {"New"}}, map[string]string{"parentId": "choose a parent namespace"}},
		{"every field wrong", "namespaces", url.Values{"name": {""}, "parentId": {"no-such-parent"}}, map[string]string{"name": "enter a name", "parentId": "does not exist"}},
		{"rename to a sibling's name", "namespaces/" + eng, url.Values{"name": {"SALES"}, "parentId": {global}}, map[string]string{"name": `a namespace named "Sales" already exists in "Global"`}},
		{"move into own child", "namespaces/" + eng, url.Values{"name": {"Engineering"}, "parentId": {platform}}, map[string]string{"parentId": "a namespace cannot be moved into itself or one of its descendants"}},
		{"move into itself", "namespaces/" + eng, url.Values{"name": {"Engineering"}, "parentId": {eng}}, map[string]string{"parentId": "cannot be moved into itself"}},
		{"rename to empty", "namespaces/" + platform, url.Values{"name": {""}, "parentId": {eng}}, map[string]string{"name": "enter a name"}},
	}
	for _, tc := range tests {
		for _, htmx := range []bool{false, true} {
			name := tc.name + "/full page"
			if htmx {
				name = tc.name + "/htmx"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				cl := app.AsRecovery(t, global)
				cl.Get(nsURL(global, "namespaces/new"))
				before := storetest.Capture(t, app.Store)
				var headers []string
				if htmx {
					headers = testutil.HTMX("")
				}
				res := cl.PostForm(nsURL(global, tc.path), tc.form, headers...)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantFieldErrors(t, res, tc.errors)
				before.Unchanged(t, app.Store)
				if v, _ := res.Doc.Find(`input[name="name"]`).Attr("value"); v != strings.TrimSpace(tc.form.Get("name")) && v != tc.form.Get("name") {
					t.Errorf("form lost the submitted name: %q", v)
				}
				isFragment := strings.HasPrefix(res.Body, "<form")
				if htmx != isFragment || htmx == res.Has(`[data-testid="nav"]`) {
					t.Errorf("htmx=%v but fragment=%v:\n%.300s", htmx, isFragment, res.Body)
				}
			})
		}
	}
}

func TestNamespaceMaxLengthNameIsAccepted(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.AsRecovery(t, global)
	cl.Get(nsURL(global, "namespaces/new"))
	name := strings.Repeat("é", 128) // runes, not bytes
	wantStatus(t, cl.PostForm(nsURL(global, "namespaces"), url.Values{"name": {name}, "parentId": {global}}), http.StatusSeeOther)
	if _, ok := namespaceByName(t, app, name); !ok {
		t.Fatal("not created")
	}
}

func TestNamespaceDeleteRefusals(t *testing.T) {
	t.Parallel()
	runNamespaceDeleteRefusals(t, testutil.NewApp)
}

func runNamespaceDeleteRefusals(t *testing.T, newApp appFactory) {
	app := newApp(t)
	eng := app.Namespace(t, global, "Engineering")
	app.Namespace(t, eng, "Platform")
	app.Namespace(t, eng, "Data")
	tests := []struct {
		name, id, flash string
	}{
		{"Global", global, "the Global namespace is the root of the tree and cannot be deleted"},
		{"with children", eng, `namespace "Engineering" is not empty: it still contains namespace "Data", namespace "Platform". Move or delete them first`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cl := app.AsRecovery(t, global)
			cl.Get(nsURL(global, "namespaces"))
			before := storetest.Capture(t, app.Store)
			res := cl.PostForm(nsURL(global, "namespaces/"+tc.id+"/delete"), nil)
			wantStatus(t, res, http.StatusSeeOther)
			before.Unchanged(t, app.Store)
			list := cl.Get(res.Location())
			toast := list.Doc.Find(`[data-testid="toast"][data-kind="error"]`)
			if got := strings.TrimSpace(toast.Text()); got != tc.flash {
				t.Fatalf("error toast %q, want %q", got, tc.flash)
			}
			// flashes are shown once
			if again := cl.Get(res.Location()); again.Has(`[data-testid="toast"]`) {
				t.Error("the flash is shown again on the next page")
			}
		})
	}
}

func TestGlobalCannotBeRenamed(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.AsRecovery(t, global)
	cl.Get(nsURL(global, "namespaces"))
	before := storetest.Capture(t, app.Store)
	res := cl.PostForm(nsURL(global, "namespaces/"+global), url.Values{"name": {"World"}, "parentId": {""}})
	wantStatus(t, res, http.StatusConflict)
	if got := res.Text(`[data-testid="error-reason"]`); !strings.Contains(got, "the Global namespace is the root of the tree") {
		t.Errorf("reason %q", got)
	}
	before.Unchanged(t, app.Store)
	edit := cl.Get(nsURL(global, "namespaces/"+global+"/edit"))
	wantStatus(t, edit, http.StatusConflict)
	if edit.Has(`[data-testid="namespace-form"]`) {
		t.Error("Global gets an edit form it can never save")
	}
}
