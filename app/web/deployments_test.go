package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

func TestDeployments(t *testing.T) {
	t.Parallel()
	runScenarios(t, testutil.NewApp, deploymentScenarios)
}

// TestDeploymentsOnPostgres runs the same scenarios on Postgres; it skips
// without POSTGRES_TEST_URL.
func TestDeploymentsOnPostgres(t *testing.T) {
	runOnPostgres(t, deploymentScenarios)
}

var deploymentScenarios = []scenario{
	{"pending, apply, history, detail", runDeployLifecycle},
	{"compare, re-deploy, download", runDeployCompareRedeploy},
	{"discard", runDeployDiscard},
	{"a failed push shows why", runDeployFailedPush},
	{"who sees and does what", runDeployRBAC},
	{"the activity log filters by changeset", runDeployActivityFilter},
}

func runDeployLifecycle(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", deployURL(global, ""))
	empty := ann.Get(deployURL(global, ""))
	if !empty.Has(`[data-testid="deployments-empty"]`) || !empty.Has(`[data-testid="pending-bar"]`) ||
		empty.Has(`[data-testid="pending-changes"]`) {
		t.Fatalf("a console with nothing deployed shows no empty state or first-deployment bar:\n%s", empty.Body)
	}

	addRoute(t, ann, f.eng, "app")
	addRoute(t, ann, f.sales, "crm")
	list := ann.Get(deployURL(f.eng, ""))
	if got := list.Text(`[data-testid="pending-changes"]`); got != "2 pending changes" {
		t.Errorf("pill %q, want 2 pending changes", got)
	}
	if bar := list.Text(`[data-testid="pending-bar"]`); !strings.Contains(bar, "2 pending changes") || !strings.Contains(bar, "2 added") {
		t.Errorf("bar %q", bar)
	}
	review := ann.Get(deployURL(f.eng, "pending"))
	wantStatus(t, review, http.StatusOK)
	if got := texts(review, `[data-testid="pending-changes"] tbody td.primary`); !slices.Equal(got, []string{"app", "crm"}) {
		t.Errorf("review lists %q", got)
	}
	if !review.Has(`[data-testid="apply-form"]`) || !review.Has(`[data-testid="pending-activity"]`) ||
		!review.Has(`[data-testid="first-deployment-note"]`) || review.Has(`[data-testid="config-diff"]`) {
		t.Error("the first review lacks the apply form, the activity link or the note that everything is new")
	}

	page := applied(t, ann, "first routes")
	show := ann.Get(page)
	wantStatus(t, show, http.StatusOK)
	facts := show.Text(`[data-testid="deployment-facts"]`)
	for _, want := range []string{"Current", "first routes", "ann", "2 added", "sha256:"} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q:\n%s", want, facts)
		}
	}
	if !strings.Contains(show.Text(`[data-testid="toast"]`), "Deployment #1 applied.") {
		t.Errorf("toast %q", show.Text(`[data-testid="toast"]`))
	}
	if got := show.Text(`[data-testid="cluster-line"] .badge`); got != "Connected" {
		t.Errorf("cluster push badge %q, want Connected", got)
	}
	after := ann.Get(deployURL(global, ""))
	if after.Has(`[data-testid="pending-changes"]`) || after.Has(`[data-testid="pending-bar"]`) {
		t.Error("the pill or the bar still shows after the apply")
	}
	if got := texts(after, `[data-testid="deployment-table"] tbody tr td:nth-child(2)`); !slices.Equal(got, []string{"Current"}) {
		t.Errorf("history statuses %q", got)
	}
	nothing := ann.PostForm(deployURL(global, "apply"), url.Values{}, testutil.HTMX("apply-form")...)
	wantStatus(t, nothing, http.StatusConflict)
	if !strings.Contains(nothing.Body, "there are no pending changes to apply") {
		t.Errorf("applying nothing:\n%s", nothing.Body)
	}
	long := ann.PostForm(deployURL(global, "apply"), url.Values{"message": {strings.Repeat("m", 501)}}, testutil.HTMX("apply-form")...)
	wantStatus(t, long, http.StatusUnprocessableEntity)
	wantFieldErrors(t, long, map[string]string{"message": "at most 500 characters"})
}

func runDeployCompareRedeploy(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", deployURL(global, ""))
	addRoute(t, ann, f.eng, "app")
	first := applied(t, ann, "one")
	addRoute(t, ann, f.eng, "two")
	second := applied(t, ann, "two")

	cmp := ann.Get(second)
	compareLink, _ := cmp.Doc.Find(`[data-testid="compare-previous"]`).Attr("href")
	res := ann.Get(compareLink)
	wantStatus(t, res, http.StatusOK)
	if got := texts(res, `[data-testid="compare-change-table"] td.primary`); !slices.Equal(got, []string{"two"}) {
		t.Errorf("compare entities %q", got)
	}
	if !strings.Contains(res.Text(`[data-testid="diff-unified"]`), "two.example.com") {
		t.Errorf("unified diff lacks the new route:\n%s", res.Text(`[data-testid="config-diff"]`))
	}
	split := ann.Get(compareLink + "&view=split")
	if !split.Has(`[data-testid="diff-split"] td.diff-ins`) {
		t.Error("the side-by-side view shows no insertion")
	}

	dl := ann.Get(first + "/config.yaml")
	wantStatus(t, dl, http.StatusOK)
	if !strings.Contains(dl.Header.Get("Content-Disposition"), "config-1.yaml") || !strings.Contains(dl.Body, "app.example.com") ||
		strings.Contains(dl.Body, "two.example.com") {
		t.Errorf("download of #1: %s\n%s", dl.Header.Get("Content-Disposition"), dl.Body)
	}

	redo := ann.PostForm(first+"/redeploy", url.Values{})
	wantStatus(t, redo, http.StatusSeeOther)
	third := ann.Get(redo.Location())
	if facts := third.Text(`[data-testid="deployment-facts"]`); !strings.Contains(facts, "Re-deploy of #1") || !strings.Contains(facts, "#1") {
		t.Errorf("re-deploy facts:\n%s", facts)
	}
	if got := ann.Get(deployURL(global, "")).Text(`[data-testid="pending-changes"]`); got != "1 pending change" {
		t.Errorf("after re-deploying #1 the pill says %q, want the route it lacks", got)
	}
}

func runDeployDiscard(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", deployURL(global, ""))
	addRoute(t, ann, f.eng, "app")
	applied(t, ann, "one")
	addRoute(t, ann, f.eng, "oops")
	wantStatus(t, ann.Get(deployURL(global, "pending")), http.StatusOK)
	res := ann.PostForm(deployURL(global, "discard"), url.Values{})
	wantStatus(t, res, http.StatusSeeOther)
	list := ann.Get(res.Location())
	if !strings.Contains(list.Text(`[data-testid="toast"]`), "Discarded 1 pending changes") || list.Has(`[data-testid="pending-bar"]`) {
		t.Errorf("after the discard: toast %q, bar shown %v", list.Text(`[data-testid="toast"]`), list.Has(`[data-testid="pending-bar"]`))
	}
	if got := texts(list, `[data-testid="deployment-table"] tbody tr td:nth-child(2)`); !slices.Equal(got, []string{"Discarded", "Current"}) {
		t.Errorf("history %q", got)
	}
	if _, ok := routeByName(t, f.app, f.eng, "oops"); ok {
		t.Error("the discarded route is still there")
	}
	again := ann.PostForm(deployURL(global, "discard"), url.Values{})
	wantStatus(t, again, http.StatusSeeOther)
	if !strings.Contains(ann.Get(again.Location()).Text(`[data-testid="toast"]`), "no pending changes to discard") {
		t.Error("discarding nothing says nothing")
	}
}

func runDeployFailedPush(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", deployURL(global, ""))
	addRoute(t, ann, f.eng, "app")
	f.broker.Stop()
	page := applied(t, ann, "while down")
	show := ann.Get(page)
	if !strings.Contains(show.Text(`[data-testid="deployment-failure"]`), "cannot reach the databroker") ||
		!strings.Contains(show.Text(`[data-testid="toast"]`), "push failed") || !show.Has(`[data-testid="retry-push"]`) {
		t.Fatalf("a failed push does not say why:\n%s", show.Text(`main`))
	}
	cluster := ann.Get(nsURL(global, "clusters/default"))
	if !strings.Contains(cluster.Text(`[data-testid="push-error"]`), "cannot reach the databroker") {
		t.Errorf("the cluster page hides the error:\n%s", cluster.Text(`main`))
	}
	if err := f.broker.Restart(); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		retry := ann.PostForm(page+"/push", url.Values{})
		wantStatus(t, retry, http.StatusSeeOther)
		if strings.Contains(ann.Get(page).Text(`[data-testid="deployment-facts"]`), "Current") {
			return
		}
	}
	t.Fatal("retrying the push never succeeded once the databroker was back")
}

func runDeployRBAC(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", deployURL(global, ""))
	addRoute(t, ann, f.eng, "app")
	first := applied(t, ann, "one")
	addRoute(t, ann, f.eng, "two")
	for _, tc := range []struct {
		who       string
		page      int
		apply     int
		pill      bool
		downloads int
	}{
		{"max", http.StatusOK, http.StatusForbidden, true, http.StatusForbidden},
		{"vic", http.StatusOK, http.StatusForbidden, true, http.StatusForbidden},
		{"eve", http.StatusForbidden, http.StatusForbidden, false, http.StatusForbidden},
		{"ann", http.StatusOK, http.StatusSeeOther, true, http.StatusOK}, // last: ann's apply takes the change
	} {
		t.Run(tc.who, func(t *testing.T) {
			cl := f.as(t, tc.who, nsURL(f.eng, "routes"))
			review := cl.Get(deployURL(global, "pending"))
			wantStatus(t, review, tc.page)
			if tc.page == http.StatusOK && review.Has(`[data-testid="apply-form"]`) != (tc.who == "ann") {
				t.Errorf("apply form shown %v", review.Has(`[data-testid="apply-form"]`))
			}
			if got := cl.Get(nsURL(f.eng, "routes")).Has(`[data-testid="pending-changes"]`); got != tc.pill {
				t.Errorf("pill shown %v, want %v", got, tc.pill)
			}
			wantStatus(t, cl.PostForm(deployURL(global, "apply"), url.Values{}), tc.apply)
			wantStatus(t, cl.Get(first+"/config.yaml"), tc.downloads)
		})
	}
}

func runDeployActivityFilter(t *testing.T, newApp appFactory) {
	f := newDeployFixture(t, newApp)
	ann := f.as(t, "ann", deployURL(global, ""))
	addRoute(t, ann, f.eng, "one")
	first := applied(t, ann, "one")
	addRoute(t, ann, f.sales, "two")
	link, _ := ann.Get(deployURL(global, "pending")).Doc.Find(`[data-testid="pending-activity"]`).Attr("href")
	pending := ann.Get(link)
	wantStatus(t, pending, http.StatusOK)
	if got := texts(pending, `[data-testid="activity-table"] tbody tr td:nth-child(4)`); len(got) != 1 || !strings.HasPrefix(got[0], "two") {
		t.Errorf("the pending changeset's entries %q", got)
	}
	if !strings.Contains(pending.Text(`[data-testid="changeset-filter"]`), "Pending changes of Default") {
		t.Errorf("filter chip %q", pending.Text(`[data-testid="changeset-filter"]`))
	}
	id := first[strings.LastIndex(first, "/")+1:]
	one := ann.Get(nsURL(global, "activity?descendants=on&changesetId="+id))
	// #1 holds the route and the entry of its own apply.
	if got := texts(one, `[data-testid="activity-table"] tbody tr td:nth-child(4)`); len(got) != 2 ||
		!strings.HasPrefix(got[0], "Default #1") || !strings.HasPrefix(got[1], "one") {
		t.Errorf("changeset #1 entries %q", got)
	}
	wantStatus(t, ann.Get(nsURL(global, "activity?changesetId=nope")), http.StatusNotFound)
}
