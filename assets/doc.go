// Package assets embeds the console's static files (stylesheet, script, icons, vendored htmx) and
// names each by a content hash, so browsers may cache them forever and still see every change.
package assets
