// Package comingsoon renders the honest placeholder for a console section that is not built yet.
package comingsoon
