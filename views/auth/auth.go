package auth

import "github.com/pomerium-console-oss/pomerium-console/views/components"

// Form fields and URLs of recovery sign-in, shared with the handler that reads them.
const (
	TokenField        = "token"
	RecoverySignInURL = "/sign-in/recovery"
)

// SignInVM is the sign-in page: the submitted token is echoed back with its error when it fails.
type SignInVM struct {
	CSRFToken string
	Token     string
	Error     string
}

// SignedOutVM is the page shown after signing out.
type SignedOutVM struct {
	SignInURL string // where "Sign in again" goes; defaults to "/"
}

func (vm SignedOutVM) signInURL() string {
	if vm.SignInURL == "" {
		return "/"
	}
	return vm.SignInURL
}

func (vm SignInVM) tokenField() components.FieldProps {
	return components.FieldProps{
		Name:         TokenField,
		ID:           "recovery-token",
		Label:        "Recovery token",
		Value:        vm.Token,
		Error:        vm.Error,
		Help:         "Generate one with the command pomerium-console generate-recovery-token, run where the console's database is reachable.",
		Placeholder:  "eyJhbGciOi…",
		Required:     true,
		Autofocus:    vm.Error != "",
		Rows:         4,
		Autocomplete: "off",
	}
}
