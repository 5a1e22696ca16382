// Package configimport renders the config.yaml import: the upload form,
// with the problems of a file that does not parse, and the preview of what
// the import creates, what conflicts and what it leaves out, with the
// button that applies it.
package configimport
