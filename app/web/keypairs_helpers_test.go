package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	kpt "github.com/pomerium-console-oss/pomerium-console/app/keypairs/keypairstest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// keyPairFixture is Global > Eng > Platform and Global > Sales, with one
// user per role on Eng ("ann" admin, "max" manager, "vic" viewer, "gus"
// guest), a viewer of Sales ("sam") and a configured administrator.
type keyPairFixture struct{ orgFixture }

func newKeyPairFixture(t *testing.T, newApp appFactory) keyPairFixture {
	t.Helper()
	f := keyPairFixture{newOrg(t, rootApp(t, newApp))}
	grantAll(t, f.app, f.eng, staff)
	f.app.Grant(t, f.sales, db.SubjectUser, "sam", "viewer")
	return f
}

// as is a browser signed in as who, holding a CSRF token.
func (f keyPairFixture) as(t *testing.T, who string) *testutil.Client { return atHome(t, f.app, who) }

// certsURL is the certificates section of nsID, plus rest.
func certsURL(nsID, rest string) string {
	if rest == "" {
		return nsURL(nsID, "certificates")
	}
	return nsURL(nsID, "certificates/"+rest)
}

// upload posts the upload form and returns the new pair's page URL,
// stopping t unless the console redirected there.
func upload(t *testing.T, cl *testutil.Client, nsID, name, cert, key string) string {
	t.Helper()
	res := cl.PostForm(certsURL(nsID, ""), url.Values{"name": {name}, "certificate": {cert}, "key": {key}})
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Location(), certsURL(nsID, "")+"/") {
		t.Fatalf("upload redirected to %q", res.Location())
	}
	return res.Location()
}

// keyPairs lists every key pair in the store.
func keyPairs(t testing.TB, app *testutil.App) []db.KeyPair {
	t.Helper()
	list, _, err := app.Store.ListKeyPairs(context.Background(), db.KeyPairFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// postMultipart submits fields and files as a browser submits a form with
// file inputs, with the client's CSRF token.
func postMultipart(t *testing.T, cl *testutil.Client, path string, fields, files map[string]string, headers ...string) *testutil.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fields["_csrf"] = cl.CSRFToken()
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range files {
		fw, err := w.CreateFormFile(k, k+".pem")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return cl.Do(req, headers...)
}

// keyMaterial is what of a private key must never appear in a page: the
// base64 lines of its PEM.
func keyMaterial(pemKey string) []string {
	var out []string
	for _, line := range strings.Split(pemKey, "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	return out
}

// leafFor issues a certificate for host that ends in days (negative: it
// has expired), valid for 90 days before that.
func leafFor(t *testing.T, host string, days int) kpt.Pair {
	t.Helper()
	end := time.Now().AddDate(0, 0, days)
	return kpt.Issue(t, kpt.Options{CommonName: host, DNSNames: []string{host}, NotBefore: end.AddDate(0, 0, -90), NotAfter: end})
}
