// Package viewtest helps tests render templ components and query the HTML with goquery, preferring
// data-testid selectors so that tests survive changes of markup and style.
package viewtest
