package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Prefix is the URL path under which every asset is served.
const Prefix = "/assets/"

//go:embed app.css app.js htmx.min.js icons.svg favicon.svg
var files embed.FS

type asset struct {
	body        []byte
	contentType string
	url         string
}

// byName maps a file name ("app.css") and byURL a hashed URL ("/assets/app.3f2a9c1b.css") to the
// same asset. Both are built once at init and only read afterwards, so no lock is needed.
var (
	byName = map[string]*asset{}
	byURL  = map[string]*asset{}
)

// contentTypes pins the types we serve: mime.TypeByExtension reads /etc/mime.types, which differs
// between hosts.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
}

func init() {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(fmt.Sprintf("assets: read embedded files: %v", err))
	}
	for _, e := range entries {
		body, err := files.ReadFile(e.Name())
		if err != nil {
			panic(fmt.Sprintf("assets: read %s: %v", e.Name(), err))
		}
		a := &asset{body: body, contentType: contentType(e.Name()), url: hashedURL(e.Name(), body)}
		byName[e.Name()] = a
		byURL[a.url] = a
	}
}

// hashedURL inserts the first 8 bytes of the SHA-256 of body before the last extension:
// "htmx.min.js" becomes "/assets/htmx.min.0123456789abcdef.js".
func hashedURL(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return Prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:8]) + ext
}

func contentType(name string) string {
	ext := path.Ext(name)
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// Path returns the content-hashed URL of the embedded file name, e.g. Path("app.css") →
// "/assets/app.3f2a9c1b5d6e7f80.css". It panics on a name that is not embedded: that is a typo
// in a template, which every render test catches, not a condition to handle at run time.
func Path(name string) string {
	a, ok := byName[name]
	if !ok {
		panic(fmt.Sprintf("assets: no embedded file %q", name))
	}
	return a.url
}

// Lookup resolves a URL made by Path to the file's bytes and content type; ok is false for any
// other path, including an unhashed or outdated one.
func Lookup(urlPath string) (body []byte, contentType string, ok bool) {
	a, ok := byURL[urlPath]
	if !ok {
		return nil, "", false
	}
	return a.body, a.contentType, true
}
