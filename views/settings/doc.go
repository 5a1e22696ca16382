// Package settings renders the global settings page: one form in the
// sections of the product documentation, with a section nav, Pomerium
// Core's defaults as placeholders, write-only secrets and every field error
// next to its field.
package settings
