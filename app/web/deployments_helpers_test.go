package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

// deployFixture is the org fixture on a console whose default cluster
// pushes to an in-process databroker, with an admin ("ann"), a manager
// ("max") and a viewer ("vic") of Global and an admin of Eng ("eve").
type deployFixture struct {
	orgFixture
	broker *databrokertest.Server
}

func newDeployFixture(t *testing.T, newApp appFactory) deployFixture {
	t.Helper()
	broker := databrokertest.Start(t)
	app := newApp(t, testutil.WithAdministrators(rootEmail), withDatabroker(broker))
	f := deployFixture{orgFixture: newOrg(t, app), broker: broker}
	grantAll(t, app, global, map[string]string{"ann": "admin", "max": "manager", "vic": "viewer"})
	grantAll(t, app, f.eng, map[string]string{"eve": "admin"})
	return f
}

// withDatabroker points the default cluster at broker, as the config file would.
func withDatabroker(broker *databrokertest.Server) testutil.Option {
	return func(c *config.Config) {
		c.DatabrokerServiceURL, c.SharedSecret = broker.URL(), broker.SharedSecret()
	}
}

// deployURL is a page of the deployments section, seen from namespace ns.
func deployURL(ns, rest string) string {
	if rest == "" {
		return nsURL(ns, "deployments")
	}
	return nsURL(ns, "deployments/"+rest)
}

// addRoute creates a route through the route form as cl.
func addRoute(t *testing.T, cl *testutil.Client, ns, name string) {
	t.Helper()
	wantStatus(t, cl.PostForm(nsURL(ns, "routes"), routeForm(name, name+".example.com")), http.StatusSeeOther)
}

// applied applies the pending changes through the review page and returns
// the new deployment's page.
func applied(t *testing.T, cl *testutil.Client, message string) string {
	t.Helper()
	wantStatus(t, cl.Get(deployURL(global, "pending")), http.StatusOK)
	res := cl.PostForm(deployURL(global, "apply"), map[string][]string{"message": {message}})
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Location(), deployURL(global, "")) {
		t.Fatalf("apply went to %q", res.Location())
	}
	return res.Location()
}
