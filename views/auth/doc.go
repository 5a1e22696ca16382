// Package auth renders the pages a signed-out user sees: the sign-in page with its recovery-token
// form, and the "you are signed out" page. Handlers wrap them in layout.Bare.
package auth
