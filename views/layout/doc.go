// Package layout renders the console's document shell: the sidebar navigation, the top bar with
// the namespace switcher and the signed-in user, toasts and the footer. Handlers wrap every page
// body in Page (signed in) or Bare (sign-in and other standalone pages).
package layout
