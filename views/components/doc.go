// Package components is the console's small library of typed templ components (fields, buttons,
// badges, tables' helpers, modals, empty states...) shared by every page, so all pages look and
// behave the same and a change of look is made once.
package components
