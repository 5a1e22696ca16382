package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

func TestClusters(t *testing.T) {
	t.Parallel()
	runScenarios(t, testutil.NewApp, clusterScenarios)
}

// TestClustersOnPostgres runs the same scenarios on Postgres; it skips
// without POSTGRES_TEST_URL.
func TestClustersOnPostgres(t *testing.T) {
	runOnPostgres(t, clusterScenarios)
}

var clusterScenarios = []scenario{
	{"add, show, edit, delete", runClusterLifecycle},
	{"form errors", runClusterFormErrors},
	{"the default cluster", runDefaultCluster},
	{"who sees and does what", runClusterRBAC},
}

// clusterForm is a valid form for a cluster serving ns.
func clusterForm(name, ns string, broker *databrokertest.Server) url.Values {
	v := url.Values{"name": {name}, "namespaceId": {ns}}
	if broker != nil {
		v.Set("databrokerServiceUrl", broker.URL())
		v.Set("sharedSecret", broker.SharedSecret())
	}
	return v
}

func runClusterLifecycle(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", nsURL(global, "clusters/new"))
	second := databrokertest.Start(t)
	res := ann.PostForm(nsURL(global, "clusters"), clusterForm("Edge", f.eng, second))
	wantStatus(t, res, http.StatusSeeOther)
	show := ann.Get(res.Location())
	wantStatus(t, show, http.StatusOK)
	conn := show.Text(`[data-testid="cluster-connection"]`)
	for _, want := range []string{"Eng and its children", second.URL(), "Set"} {
		if !strings.Contains(conn, want) {
			t.Errorf("connection lacks %q:\n%s", want, conn)
		}
	}
	if strings.Contains(show.Body, second.SharedSecret()) {
		t.Fatal("the page shows the shared secret")
	}
	for _, e := range activityEntries(t, f.app) {
		if strings.Contains(e.Before+e.After, second.SharedSecret()) {
			t.Fatal("the activity log holds the shared secret")
		}
	}

	// Eng's routes now go to Edge: its deployments page is Edge's.
	addRoute(t, ann, f.eng, "app")
	engDeploys := ann.Get(deployURL(f.eng, ""))
	if got := engDeploys.Text(`[data-testid="cluster-line"] a`); !strings.HasPrefix(got, "Edge") {
		t.Errorf("Eng's deployments are those of %q", got)
	}
	if got := engDeploys.Text(`[data-testid="pending-changes"]`); got != "1 pending change" {
		t.Errorf("Eng's pill %q", got)
	}
	if got := ann.Get(deployURL(global, "")).Text(`[data-testid="pending-changes"]`); got != "" {
		t.Errorf("Global's pill %q, want none (the route is Edge's)", got)
	}
	wantStatus(t, ann.Get(deployURL(f.eng, "pending")), http.StatusOK)
	wantStatus(t, ann.PostForm(deployURL(f.eng, "apply"), url.Values{}), http.StatusSeeOther)
	list := ann.Get(nsURL(global, "clusters"))
	if got := list.Doc.Find(`[data-testid="cluster-table"] tr[data-push="connected"]`).Length(); got != 1 {
		t.Errorf("%d connected clusters listed, want 1 (Edge; the default was never pushed)", got)
	}

	id := res.Location()[strings.LastIndex(res.Location(), "/")+1:]
	edit := ann.Get(nsURL(global, "clusters/"+id+"/edit"))
	wantStatus(t, edit, http.StatusOK)
	if v, _ := edit.Doc.Find(`input[name="sharedSecret"]`).Attr("value"); v != "" {
		t.Fatal("the edit form sends the shared secret back")
	}
	upd := ann.PostForm(nsURL(global, "clusters/"+id), url.Values{"name": {"Edge EU"}, "namespaceId": {f.eng}, "databrokerServiceUrl": {second.URL()}})
	wantStatus(t, upd, http.StatusSeeOther)
	if got := ann.Get(upd.Location()).Text(`h1`); got != "Edge EU" {
		t.Errorf("renamed cluster title %q", got)
	}

	del := ann.PostForm(nsURL(global, "clusters/"+id+"/delete"), url.Values{})
	wantStatus(t, del, http.StatusSeeOther)
	if !strings.Contains(ann.Get(del.Location()).Text(`[data-testid="toast"]`), "Cluster “Edge EU” deleted.") {
		t.Error("no toast after the delete")
	}
	if got := ann.Get(deployURL(f.eng, "")).Text(`[data-testid="cluster-line"] a`); !strings.HasPrefix(got, "Default") {
		t.Errorf("after the delete Eng's deployments are those of %q", got)
	}
}

func runClusterFormErrors(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", nsURL(global, "clusters/new"))
	res := ann.PostForm(nsURL(global, "clusters"), url.Values{
		"name": {""}, "namespaceId": {global}, "databrokerServiceUrl": {"ftp://nope"}, "sharedSecret": {"not base64!"},
		"insecureSkipVerify": {"on"},
	}, testutil.HTMX("")...)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantFieldErrors(t, res, map[string]string{
		"name": "enter a name", "namespaceId": "Global is served by the default cluster",
		"databrokerServiceUrl": "http://", "sharedSecret": "base64",
	})
	if !res.Has(`form[data-testid="cluster-form"]`) || strings.Contains(res.Body, "<html") {
		t.Error("an htmx submission does not get the form fragment back")
	}
	if strings.Contains(res.Body, "not base64!") {
		t.Error("the rejected secret is sent back")
	}
}

func runDefaultCluster(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", nsURL(global, "clusters/default/edit"))
	edit := ann.Get(nsURL(global, "clusters/default/edit"))
	if !edit.Has(`[data-testid="default-fixed"]`) || edit.Has(`input[name="databrokerServiceUrl"]`) {
		t.Error("the default cluster's form offers what the config file decides")
	}
	res := ann.PostForm(nsURL(global, "clusters/default"), url.Values{"name": {"Production"}, "databrokerServiceUrl": {"http://evil:5443"}})
	wantStatus(t, res, http.StatusSeeOther)
	show := ann.Get(res.Location())
	if !strings.Contains(show.Text(`[data-testid="cluster-connection"]`), f.broker.URL()) || show.Has(`[data-testid="delete-cluster"]`) {
		t.Errorf("the default cluster's connection changed, or it offers a delete:\n%s", show.Text(`main`))
	}
	wantStatus(t, ann.PostForm(nsURL(global, "clusters/default/delete"), url.Values{}), http.StatusSeeOther)
	list := ann.Get(nsURL(global, "clusters"))
	if got := texts(list, `[data-testid="cluster-table"] td.primary a`); !slices.Equal(got, []string{"Production"}) {
		t.Errorf("clusters %q", got)
	}
}

func runClusterRBAC(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	for _, tc := range []struct {
		who          string
		list, create int
	}{
		{"ann", http.StatusOK, http.StatusSeeOther},
		{"max", http.StatusOK, http.StatusForbidden},
		{"vic", http.StatusOK, http.StatusForbidden},
		{"eve", http.StatusForbidden, http.StatusForbidden},
	} {
		t.Run(tc.who, func(t *testing.T) {
			cl := f.as(t, tc.who, nsURL(f.eng, "routes"))
			list := cl.Get(nsURL(global, "clusters"))
			wantStatus(t, list, tc.list)
			if tc.list == http.StatusOK && list.Has(`[data-testid="add-cluster"]`) != (tc.who == "ann") {
				t.Errorf("add button shown %v", list.Has(`[data-testid="add-cluster"]`))
			}
			wantStatus(t, cl.PostForm(nsURL(global, "clusters"), clusterForm("By "+tc.who, f.platform, nil)), tc.create)
			wantStatus(t, cl.PostForm(nsURL(global, "clusters/default/push"), url.Values{}), map[bool]int{true: http.StatusSeeOther, false: http.StatusForbidden}[tc.who == "ann"])
		})
	}
}
