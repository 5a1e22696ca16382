package grpcapi_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// consoleEnv is a console with one configured administrator, for the tests
// of the namespace, permission, activity, cluster and settings services.
type consoleEnv struct {
	app *testutil.App
}

func newConsoleEnv(t *testing.T) *consoleEnv {
	t.Helper()
	return &consoleEnv{app: testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"))}
}

// admin is a connection as the administrator (Global admin).
func (e *consoleEnv) admin(t *testing.T) *grpc.ClientConn {
	t.Helper()
	return e.app.DialGRPC(t, callerMD(t, e.app, "admin", "admin@example.com"))
}

// as is a connection as user id, granted role on nsID first ("" grants
// nothing).
func (e *consoleEnv) as(t *testing.T, id, nsID, role string) *grpc.ClientConn {
	t.Helper()
	if role != "" {
		e.app.Grant(t, nsID, db.SubjectUser, id, role)
	}
	return e.app.DialGRPC(t, callerMD(t, e.app, id, id+"@example.com"))
}

// activity returns the whole log, newest first.
func (e *consoleEnv) activity(t *testing.T) []db.ActivityEntry {
	t.Helper()
	list, _, err := e.app.Store.ListActivity(t.Context(), db.ActivityFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// expectCode stops the test unless err has code and its message contains
// every one of texts.
func expectCode(t *testing.T, err error, code codes.Code, texts ...string) {
	t.Helper()
	if status.Code(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	for _, text := range texts {
		if !strings.Contains(status.Convert(err).Message(), text) {
			t.Fatalf("message %q lacks %q", status.Convert(err).Message(), text)
		}
	}
}
