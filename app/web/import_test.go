package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// ossConfig is the open-source config.yaml the configyaml tests import.
func ossConfig(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../configyaml/testdata/oss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// uploadConfig posts a file (or, with name "", pasted text) to the preview.
func uploadConfig(t *testing.T, cl *testutil.Client, nsID, name string, data []byte) *testutil.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("_csrf", cl.CSRFToken()); err != nil {
		t.Fatal(err)
	}
	if name == "" {
		if err := w.WriteField("pasted", string(data)); err != nil {
			t.Fatal(err)
		}
	} else {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, nsURL(nsID, "import/preview"), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return cl.Do(req)
}

// confirm submits the preview's confirm form as the browser would.
func confirm(t *testing.T, cl *testutil.Client, preview *testutil.Response) *testutil.Response {
	t.Helper()
	form := preview.Doc.Find(`[data-testid="import-confirm"]`)
	action, _ := form.Attr("action")
	content, _ := form.Find(`input[name="content"]`).Attr("value")
	name, _ := form.Find(`input[name="filename"]`).Attr("value")
	return cl.PostForm(action, url.Values{"content": {content}, "filename": {name}})
}

func routeCount(t *testing.T, app *testutil.App) int {
	t.Helper()
	_, n, err := app.Store.ListRoutes(context.Background(), db.RouteFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportPreviewThenApply(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	eng := app.Namespace(t, global, "Eng")
	cl := app.AsRecovery(t, global)
	page := cl.Get(nsURL(eng, "import"))
	wantStatus(t, page, http.StatusOK)
	if !page.Has(`[data-testid="import-form"] input[type="file"][name="file"]`) || page.Text("h1") != "Import config.yaml" {
		t.Fatalf("upload page:\n%s", page.Body)
	}
	preview := uploadConfig(t, cl, eng, "config.yaml", ossConfig(t))
	wantStatus(t, preview, http.StatusOK)
	if got := preview.Text(`[data-testid="import-summary"]`); got != "Importing creates 6 routes, 5 policies and 4 key pairs, and 17 global settings." {
		t.Errorf("summary = %q", got)
	}
	if n := preview.Doc.Find(`[data-testid="import-item"][data-status="create"]`).Length(); n != 15 {
		t.Errorf("%d entities to create, want 15", n)
	}
	if got := preview.Text(`[data-testid="import-unsupported"]`); !strings.Contains(got, "config.yaml:3 shared_secret it belongs to how this Pomerium host is deployed") {
		t.Errorf("unsupported keys:\n%s", got)
	}
	if strings.Contains(preview.Body, "not-a-real-secret") {
		t.Errorf("the preview shows a secret's value")
	}
	if n := routeCount(t, app); n != 0 {
		t.Fatalf("the preview stored %d routes", n)
	}
	res := confirm(t, cl, preview)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Location(); loc != nsURL(eng, "routes") {
		t.Errorf("redirect to %q", loc)
	}
	if n := routeCount(t, app); n != 6 {
		t.Fatalf("routes = %d, want 6", n)
	}
	if got := cl.Get(nsURL(eng, "routes")).Text(`[data-testid="toasts"]`); !strings.Contains(got, "Imported 6 routes, 5 policies and 4 key pairs, and 17 global settings.") {
		t.Errorf("flash = %q", got)
	}
	// The same file again conflicts: the preview says where, and offers no
	// button to apply it; confirming anyway (a stale page) changes nothing.
	again := uploadConfig(t, cl, eng, "config.yaml", ossConfig(t))
	wantStatus(t, again, http.StatusOK)
	if again.Has(`[data-testid="import-apply"]`) || !strings.Contains(again.Text(`[data-testid="preview-problems"]`),
		`config.yaml:75 routes[2].from route "docs.example.com/old" in namespace "Eng" already answers these requests`) {
		t.Errorf("conflicting preview:\n%s", again.Text(`[data-testid="preview-problems"]`))
	}
	wantStatus(t, confirm(t, cl, again), http.StatusUnprocessableEntity)
	if n := routeCount(t, app); n != 6 {
		t.Fatalf("routes after the refused import = %d", n)
	}
}

func TestImportShowsTheProblemsOfAFile(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.AsRecovery(t, global)
	cl.Get(nsURL(global, "import"))
	tests := []struct {
		name, file, text string
		want             []string
	}{
		{"route without from and unknown key", "config.yaml", "log_levle: x\nroutes:\n  - to: http://a\n",
			[]string{"config.yaml:1 log_levle is not an option Pomerium Core knows", "config.yaml:3 routes[0].from is required"}},
		{"bad YAML, pasted", "", "routes: [\n", []string{"config.yaml:1 is not valid YAML"}},
		{"policy that does not parse", "mine.yaml", "routes:\n  - from: https://a.example.com\n    to: http://a\n    policy: {allow: {or: [{emial: x}]}}\n",
			[]string{"mine.yaml:4 routes[0].policy is not valid PPL"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := uploadConfig(t, cl, global, tc.file, []byte(tc.text))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			got := res.Text(`[data-testid="upload-problems"]`)
			for _, w := range tc.want {
				if !strings.Contains(strings.Join(strings.Fields(got), " "), w) {
					t.Errorf("problems %q lack %q", got, w)
				}
			}
		})
	}
	res := uploadConfig(t, cl, global, "", []byte("  "))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.Text(`[data-testid="form-error"]`); !strings.Contains(got, "choose a config.yaml to upload") {
		t.Errorf("empty upload: %q", got)
	}
	if n := routeCount(t, app); n != 0 {
		t.Errorf("a refused file stored %d routes", n)
	}
}

func TestImportNeedsTheManagerRole(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	eng := app.Namespace(t, global, "Eng")
	app.Grant(t, eng, db.SubjectUser, "viewer@example.com", "viewer")
	cl := app.AsUser(t, testutil.Claims{Subject: "u-viewer", Email: "viewer@example.com"})
	wantStatus(t, cl.Get(nsURL(eng, "import")), http.StatusForbidden)
	cl.Get(nsURL(eng, "routes"))
	wantStatus(t, uploadConfig(t, cl, eng, "config.yaml", ossConfig(t)), http.StatusForbidden)
}

// TestExportDownloadsAndImportsBack: the export of two served certificates
// is a zip (Core reads the second from a file), which uploads back whole.
func TestExportDownloadsAndImportsBack(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.AsRecovery(t, global)
	cl.Get(nsURL(global, "import"))
	dir := t.TempDir()
	certFile, keyFile := apptest.WriteCert(t, dir, "other.example.com")
	zipped := zipOf(t, map[string][]byte{
		"config.yaml": append(ossConfig(t), []byte("  - from: https://other.example.com\n    to: http://other\n    allow_any_authenticated_user: true\n"+
			"certificates:\n  - cert: certs/other.pem\n    key: certs/other.key\n")...),
		"certs/other.pem": read(t, certFile), "certs/other.key": read(t, keyFile),
	})
	preview := uploadConfig(t, cl, global, "bundle.zip", zipped)
	wantStatus(t, preview, http.StatusOK)
	wantStatus(t, confirm(t, cl, preview), http.StatusSeeOther)

	res := cl.Get(nsURL(global, "deployments/export.yaml"))
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("Content-Type") != "application/zip" || res.Header.Get("Content-Disposition") != `attachment; filename="config.zip"` ||
		res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export headers: %v", res.Header)
	}
	fresh := testutil.NewApp(t)
	other := fresh.AsRecovery(t, global)
	other.Get(nsURL(global, "import"))
	back := uploadConfig(t, other, global, "config.zip", []byte(res.Body))
	wantStatus(t, back, http.StatusOK)
	if got := back.Text(`[data-testid="import-summary"]`); got != "Importing creates 7 routes, 5 policies and 4 key pairs, and 17 global settings." {
		t.Errorf("re-import of the export: %q\n%s", got, back.Text(`[data-testid="preview-problems"]`))
	}
}

func TestExportNeedsTheAdminRoleOfTheCluster(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	eng := app.Namespace(t, global, "Eng")
	app.Grant(t, eng, db.SubjectUser, "admin@example.com", "admin")
	cl := app.AsUser(t, testutil.Claims{Subject: "u-admin", Email: "admin@example.com"})
	res := cl.Get(nsURL(eng, "deployments/export.yaml"))
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.Body, "the export holds the secrets of the cluster serving this namespace") {
		t.Errorf("forbidden page does not say why:\n%s", res.Body)
	}
	root := app.AsRecovery(t, global)
	res = root.Get(nsURL(global, "deployments/export.yaml"))
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("Content-Type") != "application/yaml; charset=utf-8" || !strings.HasPrefix(res.Body, "# Pomerium config.yaml exported by pomerium-console.") {
		t.Errorf("export of an empty console: %v\n%s", res.Header, res.Body)
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Clean(path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
