package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	kpt "github.com/pomerium-console-oss/pomerium-console/app/keypairs/keypairstest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestKeyPairs(t *testing.T) {
	t.Parallel()
	runScenarios(t, testutil.NewApp, keyPairScenarios)
}

// TestKeyPairsOnPostgres runs the same scenarios on Postgres; it skips
// without POSTGRES_TEST_URL.
func TestKeyPairsOnPostgres(t *testing.T) {
	runOnPostgres(t, keyPairScenarios)
}

var keyPairScenarios = []scenario{
	{"upload, show, edit, delete", runKeyPairLifecycle},
	{"upload refusals", runKeyPairUploadRefusals},
	{"generate", runKeyPairGenerate},
	{"list filters", runKeyPairListFilters},
	{"rbac", runKeyPairRBAC},
}

func runKeyPairLifecycle(t *testing.T, newApp appFactory) {
	f := newKeyPairFixture(t, newApp)
	cl := f.as(t, "max")
	list := cl.Get(certsURL(f.eng, ""))
	wantStatus(t, list, http.StatusOK)
	if !list.Has(`[data-testid="empty-state"]`) || !list.Has(`[data-testid="add-key-pair"]`) || !list.Has(`[data-testid="generate-key-pair"]`) {
		t.Fatalf("empty list lacks its empty state or actions:\n%s", list.Body)
	}

	ca := kpt.Issue(t, kpt.Options{CommonName: "Eng CA", CA: true})
	leaf := kpt.Issue(t, kpt.Options{CommonName: "web.example.com", DNSNames: []string{"web.example.com"}, Parent: &ca})
	wantStatus(t, cl.Get(certsURL(f.eng, "new")), http.StatusOK)
	before := len(activityEntries(t, f.app))
	page := upload(t, cl, f.eng, "web", kpt.Chain(leaf, ca), leaf.SEC1(t))
	if n := len(activityEntries(t, f.app)); n != before+1 {
		t.Errorf("%d activity entries, want %d", n, before+1)
	}
	show := cl.Get(page)
	wantStatus(t, show, http.StatusOK)
	facts := show.Text(`[data-testid="key-pair-facts"]`)
	for _, want := range []string{"CN=web.example.com", "CN=Eng CA", "web.example.com", "ECDSA P-256", "Set (sealed at rest; never shown)", fingerprintOf(leaf)} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q:\n%s", want, facts)
		}
	}
	if got := texts(show, `[data-testid="key-pair-chain"] summary .badge`); !slices.Equal(got, []string{"Leaf", "Root"}) {
		t.Errorf("chain roles %q, want Leaf, Root", got)
	}
	if !strings.Contains(show.Text(`[data-testid="key-pair-pem"]`), "-----BEGIN CERTIFICATE-----") ||
		!strings.Contains(show.Text(`[data-testid="toast"]`), "Key pair “web” uploaded.") || !show.Has(`[data-testid="key-pair-unused"]`) {
		t.Errorf("the page lacks the PEM, the toast or the usage:\n%s", show.Body)
	}
	for _, line := range keyMaterial(leaf.SEC1(t)) {
		if strings.Contains(show.Body, line) {
			t.Fatal("the page shows private key material")
		}
	}

	edit := cl.Get(page + "/edit")
	wantStatus(t, edit, http.StatusOK)
	if edit.Text(`[data-testid="key-status"]`) != "Private key: set" || edit.Has(`textarea[name="key"]:not(:empty)`) {
		t.Errorf("edit form key status %q", edit.Text(`[data-testid="key-status"]`))
	}
	res := cl.PostForm(page, url.Values{"name": {"web renamed"}, "clear_key": {"true"}})
	wantStatus(t, res, http.StatusSeeOther)
	show = cl.Get(res.Location())
	if show.Text(`h1`) != "web renamed" || !strings.Contains(show.Text(`[data-testid="key-pair-facts"]`), "Not set") {
		t.Errorf("after the edit: %q\n%s", show.Text("h1"), show.Text(`[data-testid="key-pair-facts"]`))
	}

	res = cl.PostForm(page+"/delete", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != certsURL(f.eng, "") || len(keyPairs(t, f.app)) != 0 {
		t.Fatalf("delete went to %q leaving %d pairs", res.Location(), len(keyPairs(t, f.app)))
	}
	if !strings.Contains(cl.Get(res.Location()).Text(`[data-testid="toast"]`), "Key pair “web renamed” deleted.") {
		t.Error("no toast after the delete")
	}
}

// fingerprintOf is the SHA-256 fingerprint the console shows for p.
func fingerprintOf(p kpt.Pair) string {
	sum := sha256.Sum256(p.Cert.Raw)
	return hex.EncodeToString(sum[:])
}

func runKeyPairUploadRefusals(t *testing.T, newApp appFactory) {
	f := newKeyPairFixture(t, newApp)
	cl := f.as(t, "max")
	leaf := leafFor(t, "web.example.com", 90)
	other := leafFor(t, "other.example.com", 90)
	rsaLeaf := kpt.Issue(t, kpt.Options{CommonName: "rsa.example.com", Key: kpt.Key(t, kpt.RSA)})
	tests := []struct {
		name    string
		form    map[string]string
		files   map[string]string
		htmx    bool
		want    map[string]string
		keySent string // key material that must not come back
	}{
		{"nothing", map[string]string{}, nil, false, map[string]string{"name": "enter a name", "certificate": "paste the certificate"}, ""},
		{"mismatched key, full page", map[string]string{"name": "web", "certificate": leaf.CertPEM(), "key": other.PKCS8(t)}, nil, false,
			map[string]string{"key": "does not belong to this certificate: their public keys differ"}, other.PKCS8(t)},
		{"mismatched key, htmx fragment", map[string]string{"name": "web", "certificate": leaf.CertPEM(), "key": other.PKCS8(t)}, nil, true,
			map[string]string{"key": "does not belong to this certificate"}, other.PKCS8(t)},
		{"garbage and a certificate as the key", map[string]string{"name": "web", "certificate": "not pem", "key": leaf.CertPEM()}, nil, false,
			map[string]string{"certificate": "is not PEM", "key": "is a certificate, not a private key"}, ""},
		{"encrypted key without its password", map[string]string{"name": "rsa", "certificate": rsaLeaf.CertPEM(), "key": rsaLeaf.Encrypted(t, "pw")}, nil, false,
			map[string]string{"password": "the private key is encrypted: enter its password"}, rsaLeaf.PKCS1(t)},
		{"encrypted PKCS #8, as a file", map[string]string{"name": "web"}, map[string]string{"certificate_file": leaf.CertPEM(), "key_file": kpt.EncryptedPKCS8}, false,
			map[string]string{"key": "openssl pkcs8 -in key.pem -out key-plain.pem"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.htmx {
				headers = testutil.HTMX("")
			}
			before := storetest.Capture(t, f.app.Store)
			res := postMultipart(t, cl, certsURL(f.eng, ""), tc.form, tc.files, headers...)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantFieldErrors(t, res, tc.want)
			if tc.htmx == res.Has(`[data-testid="nav"]`) || !res.Has(`[data-testid="key-pair-form"]`) {
				t.Errorf("htmx %v: got the layout %v", tc.htmx, res.Has(`[data-testid="nav"]`))
			}
			if cert := tc.form["certificate"]; cert != "" && res.Text(`textarea[name="certificate"]`) != strings.TrimSpace(cert) {
				t.Errorf("the certificate was not kept in the form")
			}
			if res.Text(`textarea[name="key"]`) != "" || res.Has(`input[name="password"][value]:not([value=""])`) {
				t.Error("the form sent a key or password back")
			}
			for _, line := range keyMaterial(tc.keySent) {
				if strings.Contains(res.Body, line) {
					t.Fatal("the response holds private key material")
				}
			}
			if tc.keySent != "" && !strings.Contains(res.Text(`[data-testid="field-key"]`), "Paste the key again") {
				t.Errorf("the form does not ask for the key again: %q", res.Text(`[data-testid="field-key"]`))
			}
			before.Unchanged(t, f.app.Store)
		})
	}
	res := postMultipart(t, cl, certsURL(f.eng, ""), map[string]string{"name": "from files", "certificate": "ignored: the file wins"},
		map[string]string{"certificate_file": leaf.CertPEM(), "key_file": leaf.PKCS8(t)})
	wantStatus(t, res, http.StatusSeeOther)
}

func runKeyPairGenerate(t *testing.T, newApp appFactory) {
	f := newKeyPairFixture(t, newApp)
	cl := f.as(t, "max")
	form := cl.Get(certsURL(f.eng, "generate"))
	wantStatus(t, form, http.StatusOK)
	if v, _ := form.Doc.Find(`input[name="validDays"]`).Attr("value"); v != "365" || form.Text(`select[name="keyType"] option[selected]`) != "ECDSA P-256 (recommended)" {
		t.Errorf("defaults: %q days, key %q", v, form.Text(`select[name="keyType"] option[selected]`))
	}
	res := cl.PostForm(certsURL(f.eng, "generate"), url.Values{"validDays": {"0"}, "keyType": {"ecdsa-p256"}, "sans": {"ok.example.com\nbad name"}}, testutil.HTMX("")...)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantFieldErrors(t, res, map[string]string{
		"name": "enter a name", "commonName": "enter a common name", "validDays": "between 1 and 3650",
		"sans": `"bad name" is not a DNS name`,
	})
	if res.Has(`[data-testid="nav"]`) || res.Text(`textarea[name="sans"]`) != "ok.example.com\nbad name" {
		t.Errorf("the htmx answer is not the form with the input kept:\n%s", res.Body)
	}
	res = cl.PostForm(certsURL(f.eng, "generate"), url.Values{
		"name": {"internal CA"}, "commonName": {"Internal CA"}, "validDays": {"3650"}, "keyType": {"ecdsa-p384"}, "ca": {"true"},
	})
	wantStatus(t, res, http.StatusSeeOther)
	show := cl.Get(res.Location())
	facts := show.Text(`[data-testid="key-pair-facts"]`)
	if !strings.Contains(facts, "ECDSA P-384") || !strings.Contains(facts, "CN=Internal CA") || !strings.Contains(show.Text(`[data-testid="toast"]`), "Certificate authority “internal CA” generated.") ||
		show.Text(`[data-testid="key-pair-chain"] summary .badge`) != "Self-signed" {
		t.Errorf("generated CA page:\n%s", facts)
	}
}

func runKeyPairListFilters(t *testing.T, newApp appFactory) {
	f := newKeyPairFixture(t, newApp)
	cl := f.as(t, "max")
	for name, days := range map[string]int{"fine": 200, "soon": 10, "gone": -2} {
		p := leafFor(t, name+".example.com", days)
		upload(t, cl, f.eng, name, p.CertPEM(), p.PKCS8(t))
	}
	p := leafFor(t, "platform.example.com", 5)
	upload(t, cl, f.platform, "platform soon", p.CertPEM(), "")
	// The key pair keeps its namespace from being deleted, and is named.
	admin := f.as(t, "ann")
	res := admin.PostForm(nsURL(f.eng, "namespaces/"+f.platform+"/delete"), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if toast := admin.Get(res.Location()).Text(`[data-testid="toast"]`); !strings.Contains(toast, `it still contains key pair "platform soon"`) {
		t.Errorf("deleting a namespace with a key pair: toast %q", toast)
	}
	rows := func(res *testutil.Response) []string {
		var out []string
		for _, r := range res.Doc.Find(`[data-testid="key-pair-table"] tbody tr`).EachIter() {
			status, _ := r.Attr("data-status")
			out = append(out, strings.TrimSpace(r.Find("td.primary a").Text())+"="+status+"/"+strings.TrimSpace(r.Find("td .badge").First().Text()))
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
		chip  string
	}{
		{"", []string{"fine=ok/Valid", "gone=expired/Expired", "soon=expiring/Expiring"}, "All"},
		{"?expiry=expiring", []string{"gone=expired/Expired", "soon=expiring/Expiring"}, "Expiring or expired"},
		{"?expiry=expired", []string{"gone=expired/Expired"}, "Expired"},
		{"?expiry=expiring&descendants=on", []string{"gone=expired/Expired", "platform soon=expiring/Expiring", "soon=expiring/Expiring"}, "Expiring or expired"},
		{"?q=SOON", []string{"soon=expiring/Expiring"}, "All"},
		{"?expiry=bogus", []string{"fine=ok/Valid", "gone=expired/Expired", "soon=expiring/Expiring"}, "All"},
	}
	for _, tc := range tests {
		res := cl.Get(certsURL(f.eng, "") + tc.query)
		wantStatus(t, res, http.StatusOK)
		if got := rows(res); !slices.Equal(got, tc.want) {
			t.Errorf("%s: rows %q, want %q", tc.query, got, tc.want)
		}
		if got := res.Text(`[data-testid="expiry-chips"] [aria-current="true"]`); got != tc.chip {
			t.Errorf("%s: active chip %q, want %q", tc.query, got, tc.chip)
		}
	}
	res = cl.Get(certsURL(f.eng, "")+"?q=zzz", "HX-Request", "true", "HX-Target", "key-pair-list")
	wantStatus(t, res, http.StatusOK)
	if res.Has(`[data-testid="nav"]`) || !strings.Contains(res.Text(`[data-testid="empty-state"]`), "No key pair matches these filters.") {
		t.Errorf("search fragment:\n%s", res.Body)
	}
}

func runKeyPairRBAC(t *testing.T, newApp appFactory) {
	f := newKeyPairFixture(t, newApp)
	leaf := leafFor(t, "web.example.com", 90)
	page := upload(t, f.as(t, "max"), f.eng, "web", leaf.CertPEM(), leaf.PKCS8(t))
	form := url.Values{"name": {"x"}, "certificate": {leaf.CertPEM()}}
	needsManager := func(role string) string {
		return "this needs the manager role on namespace &#34;Eng&#34;; you are a " + role + " there"
	}
	tests := []struct {
		who string
		sc  testutil.Scenario
	}{
		{"vic", testutil.Scenario{URL: certsURL(f.eng, ""), Status: http.StatusOK, Contains: []string{`data-testid="key-pair-web"`}, Absent: []string{`data-testid="add-key-pair"`}}},
		{"vic", testutil.Scenario{URL: page, Status: http.StatusOK, Absent: []string{`data-testid="edit-key-pair"`, `data-testid="delete-key-pair"`}}},
		{"vic", testutil.Scenario{URL: certsURL(f.eng, "new"), Status: http.StatusForbidden, Contains: []string{needsManager("viewer")}}},
		{"vic", testutil.Scenario{URL: certsURL(f.eng, "generate"), Status: http.StatusForbidden}},
		{"vic", testutil.Scenario{URL: page + "/edit", Status: http.StatusForbidden}},
		{"vic", testutil.Scenario{Method: http.MethodPost, URL: certsURL(f.eng, ""), Form: form, Status: http.StatusForbidden, Contains: []string{needsManager("viewer")}}},
		{"vic", testutil.Scenario{Method: http.MethodPost, URL: certsURL(f.eng, "generate"), Form: url.Values{"name": {"g"}}, Status: http.StatusForbidden}},
		{"vic", testutil.Scenario{Method: http.MethodPost, URL: page, Form: form, Status: http.StatusForbidden}},
		{"vic", testutil.Scenario{Method: http.MethodPost, URL: page + "/delete", Status: http.StatusForbidden}},
		{"gus", testutil.Scenario{URL: certsURL(f.eng, ""), Status: http.StatusForbidden}},
		{"sam", testutil.Scenario{URL: page, Status: http.StatusForbidden}},
		{"sam", testutil.Scenario{URL: certsURL(f.eng, "") + "/nope", Status: http.StatusForbidden}},
		{"root", testutil.Scenario{URL: certsURL(f.eng, "nope"), Status: http.StatusNotFound}},
		{"ann", testutil.Scenario{URL: page, Status: http.StatusOK, Contains: []string{`data-testid="edit-key-pair"`, `data-testid="delete-key-pair"`}}},
		{"max", testutil.Scenario{URL: certsURL(f.platform, "new"), Status: http.StatusOK}},
	}
	before := storetest.Capture(t, f.app.Store)
	for _, tc := range tests {
		t.Run(tc.who+" "+tc.sc.Method+" "+tc.sc.URL, func(t *testing.T) {
			tc.sc.Run(t, f.as(t, tc.who))
		})
	}
	before.Unchanged(t, f.app.Store)

	// A form posted without the session's CSRF token is refused.
	cl := f.as(t, "max")
	wantCSRFRefused(t, cl, certsURL(f.eng, ""), url.Values{"name": {"csrf"}, "certificate": {leaf.CertPEM()}}, noToken)
	wantCSRFRefused(t, cl, page+"/delete", nil, forged("forged", false))
	if len(keyPairs(t, f.app)) != 1 {
		t.Error("a request without a valid CSRF token changed the key pairs")
	}
}
