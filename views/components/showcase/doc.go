// Package showcase renders every pattern of the design system on sample data, for looking at the
// console's UI in a browser (see TestShowcase) and as the reference markup of list, form and detail
// pages. Nothing in the console imports it.
package showcase
