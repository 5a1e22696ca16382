// Package views holds the console's templ templates, one sub-package per resource plus the shared
// layout and components. Templates receive typed view models and never touch the database.
package views

//go:generate go tool templ generate
