package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

const global = db.GlobalNamespaceID

func TestNamespaceCreateShowsInTree(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	admin := app.AsRecovery(t, global)
	admin.Get("/ns/" + global + "/namespaces/new")
	res := admin.PostForm("/ns/"+global+"/namespaces", url.Values{"name": {"Engineering"}, "parentId": {global}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	list := admin.Get(res.Location())
	if list.Status != http.StatusOK {
		t.Fatalf("list: %d", list.Status)
	}
	if !list.Has(`[data-testid="ns-row-Engineering"]`) {
		t.Fatalf("tree lacks the new namespace:\n%s", list.Body)
	}
}
