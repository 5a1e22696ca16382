package assets

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestPathIsContentHashed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
	}{
		{"app.css", `^/assets/app\.[0-9a-f]{16}\.css$`},
		{"app.js", `^/assets/app\.[0-9a-f]{16}\.js$`},
		{"htmx.min.js", `^/assets/htmx\.min\.[0-9a-f]{16}\.js$`},
		{"icons.svg", `^/assets/icons\.[0-9a-f]{16}\.svg$`},
		{"favicon.svg", `^/assets/favicon\.[0-9a-f]{16}\.svg$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Path(tc.name)
			if !regexp.MustCompile(tc.pattern).MatchString(got) {
				t.Fatalf("Path(%q) = %q, want match for %s", tc.name, got, tc.pattern)
			}
			if again := Path(tc.name); again != got {
				t.Fatalf("Path(%q) not stable: %q then %q", tc.name, got, again)
			}
		})
	}
}

func TestHashedURLChangesWithContent(t *testing.T) {
	t.Parallel()
	a := hashedURL("app.css", []byte("body{}"))
	b := hashedURL("app.css", []byte("body{color:red}"))
	if a == b {
		t.Fatalf("different contents share URL %q", a)
	}
}

func TestPathPanicsOnUnknownName(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("Path of an unknown file did not panic")
		}
	}()
	Path("nope.css")
}

func TestLookup(t *testing.T) {
	t.Parallel()
	css, _ := files.ReadFile("app.css")
	tests := []struct {
		name     string
		url      string
		wantOK   bool
		wantType string
		wantBody []byte
	}{
		{"css by hashed url", Path("app.css"), true, "text/css; charset=utf-8", css},
		{"js", Path("app.js"), true, "text/javascript; charset=utf-8", nil},
		{"svg", Path("icons.svg"), true, "image/svg+xml", nil},
		{"unhashed name", "/assets/app.css", false, "", nil},
		{"stale hash", "/assets/app.0000000000000000.css", false, "", nil},
		{"without prefix", strings.TrimPrefix(Path("app.css"), Prefix), false, "", nil},
		{"empty", "", false, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body, ct, ok := Lookup(tc.url)
			if ok != tc.wantOK {
				t.Fatalf("Lookup(%q) ok = %v, want %v", tc.url, ok, tc.wantOK)
			}
			if ct != tc.wantType {
				t.Fatalf("content type = %q, want %q", ct, tc.wantType)
			}
			if tc.wantOK && len(body) == 0 {
				t.Fatal("empty body")
			}
			if tc.wantBody != nil && !bytes.Equal(body, tc.wantBody) {
				t.Fatal("body differs from the embedded file")
			}
		})
	}
}

// The vendored htmx must stay on 2.0.x: the templates rely on its attribute set and its
// responseHandling config, which htmx 4 changed.
func TestVendoredHTMXIs20(t *testing.T) {
	t.Parallel()
	body, _, _ := Lookup(Path("htmx.min.js"))
	if !bytes.Contains(body, []byte(`version:"2.0.`)) {
		t.Fatal("assets/htmx.min.js is not htmx 2.0.x; rerun scripts/vendor-assets.sh with htmx.org 2.0.x")
	}
}
