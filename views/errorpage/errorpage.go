package errorpage

import (
	"net/http"
	"strconv"
)

// ErrorVM is what an error page shows.
type ErrorVM struct {
	Status    int    // HTTP status code
	Title     string // defaults to the status text, e.g. "Forbidden"
	Reason    string // a sentence the user can act on; never an internal error
	BackURL   string // "Go back" link; omitted when empty
	HomeURL   string // defaults to "/"
	RequestID string // shown so that a user can quote it to an operator
}

func (vm ErrorVM) title() string {
	if vm.Title != "" {
		return vm.Title
	}
	if t := http.StatusText(vm.Status); t != "" {
		return t
	}
	return "Something went wrong"
}

func (vm ErrorVM) status() string {
	if vm.Status == 0 {
		return ""
	}
	return strconv.Itoa(vm.Status)
}

func (vm ErrorVM) homeURL() string {
	if vm.HomeURL == "" {
		return "/"
	}
	return vm.HomeURL
}

func (vm ErrorVM) reason() string {
	if vm.Reason != "" {
		return vm.Reason
	}
	switch {
	case vm.Status == http.StatusNotFound:
		return "The page or item you asked for does not exist, or was deleted."
	case vm.Status == http.StatusForbidden:
		return "Your role does not allow this here."
	case vm.Status >= 500:
		return "The console hit an unexpected problem. It has been logged; try again in a moment."
	default:
		return ""
	}
}
