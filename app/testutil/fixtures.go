package testutil

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Namespace creates a namespace under parentID straight in the store (no
// activity entry) and returns its id; for arranging a test, not testing.
func (a *App) Namespace(t testing.TB, parentID, name string) string {
	t.Helper()
	now := time.Now()
	ns := db.Namespace{ID: uuid.NewString(), ParentID: parentID, Name: name, CreatedAt: now, ModifiedAt: now}
	if err := a.Store.CreateNamespace(context.Background(), ns); err != nil {
		t.Fatalf("create namespace %q: %v", name, err)
	}
	return ns.ID
}

// Grant gives role on nsID to a user or group straight in the store (no
// activity entry) and returns the grant's id.
func (a *App) Grant(t testing.TB, nsID, subjectType, subjectID, role string) string {
	t.Helper()
	now := time.Now()
	p, err := a.Store.PutPermission(context.Background(), db.Permission{
		ID: uuid.NewString(), NamespaceID: nsID, SubjectType: subjectType, SubjectID: subjectID,
		Role: role, CreatedAt: now, ModifiedAt: now,
	})
	if err != nil {
		t.Fatalf("grant %s on %s to %s %s: %v", role, nsID, subjectType, subjectID, err)
	}
	return p.ID
}

// Serve runs the console on a loopback port until t ends and returns its
// base URL, for real browsers.
func (a *App) Serve(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Fiber.Listener(ln) }()
	t.Cleanup(func() {
		if err := a.Fiber.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}
