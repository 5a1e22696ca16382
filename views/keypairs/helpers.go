package keypairs

import (
	"strings"

	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

func (vm ListVM) actions() []components.ButtonProps {
	if !vm.CanCreate {
		return nil
	}
	return []components.ButtonProps{
		{Label: "Generate", Icon: "plus", Href: vm.GenerateURL, TestID: "generate-key-pair"},
		{Label: "Upload key pair", Icon: "upload", Variant: components.VariantPrimary, Href: vm.NewURL, TestID: "add-key-pair"},
	}
}

func (vm ListVM) empty() components.EmptyStateProps {
	e := components.EmptyStateProps{Icon: "certificates", Title: "No key pairs"}
	if vm.Search != "" || vm.Expiry != "" {
		e.Text = "No key pair matches these filters."
		return e
	}
	e.Text = "A key pair is a certificate and its private key: routes serve it for their hosts, and a CA certificate lets Pomerium trust upstreams or client certificates. Upload one, or generate one here."
	if vm.CanCreate {
		e.Action = &components.ButtonProps{Label: "Upload key pair", Icon: "upload", Variant: components.VariantPrimary, Href: vm.NewURL}
	}
	return e
}

// StatusBadge flags a certificate's expiry in words and colour.
func StatusBadge(status, expiresIn string) components.BadgeProps {
	switch status {
	case StatusExpired:
		return components.BadgeProps{Label: "Expired", Tone: components.ToneDanger, Title: "Expired " + expiresIn}
	case StatusExpiring:
		return components.BadgeProps{Label: "Expiring", Tone: components.ToneWarning, Title: "Expires " + expiresIn}
	}
	return components.BadgeProps{Label: "Valid", Tone: components.ToneSuccess, Title: "Expires " + expiresIn}
}

func keyBadge(hasKey bool) components.BadgeProps {
	if hasKey {
		return components.BadgeProps{Label: "Key set", Tone: components.ToneInfo, Title: "The private key is stored, sealed"}
	}
	return components.BadgeProps{Label: "No key", Title: "Certificate only: it can be trusted, not served"}
}

func (vm DetailVM) facts() []components.DLItem {
	key := "Not set: this certificate can be trusted (as a CA) but not served"
	if vm.HasKey {
		key = "Set (sealed at rest; never shown)"
	}
	l := vm.Leaf
	return []components.DLItem{
		{Term: "Namespace", Value: vm.NamespaceName},
		{Term: "Status", Content: components.Badge(StatusBadge(vm.Status, vm.ExpiresIn))},
		{Term: "Subject", Value: l.Subject, Mono: true},
		{Term: "Issuer", Value: l.Issuer, Mono: true},
		{Term: "DNS names", Value: strings.Join(l.DNSNames, ", ")},
		{Term: "IP addresses", Value: strings.Join(l.IPAddresses, ", ")},
		{Term: "E-mail addresses", Value: strings.Join(l.Emails, ", ")},
		{Term: "URIs", Value: strings.Join(l.URIs, ", ")},
		{Term: "Not before", Value: l.NotBefore},
		{Term: "Not after", Value: l.NotAfter + " (" + vm.ExpiresIn + ")"},
		{Term: "Serial", Value: l.Serial, Mono: true},
		{Term: "SHA-256 fingerprint", Value: l.Fingerprint, Mono: true},
		{Term: "Certificate authority", Value: yesNo(l.IsCA)},
		{Term: "Key type", Value: l.KeyType},
		{Term: "Private key", Value: key},
		{Term: "Created", Value: vm.Created},
		{Term: "Modified", Value: vm.Modified},
		{Term: "Id", Value: vm.ID, Mono: true},
	}
}

func (c CertVM) facts() []components.DLItem {
	return []components.DLItem{
		{Term: "Issuer", Value: c.Issuer, Mono: true},
		{Term: "Valid", Value: c.NotBefore + " – " + c.NotAfter},
		{Term: "Serial", Value: c.Serial, Mono: true},
		{Term: "SHA-256 fingerprint", Value: c.Fingerprint, Mono: true},
		{Term: "Certificate authority", Value: yesNo(c.IsCA)},
		{Term: "Key type", Value: c.KeyType},
	}
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func (vm DetailVM) deleteModal() components.ConfirmProps {
	return components.ConfirmProps{
		ID:           "delete-key-pair",
		Trigger:      components.ButtonProps{Label: "Delete", Icon: "trash", Variant: components.VariantDanger, TestID: "delete-key-pair"},
		Title:        "Delete key pair “" + vm.Name + "”?",
		Message:      "The certificate and its private key are removed for good. A key pair still used by a route or the settings cannot be deleted.",
		Action:       vm.DeleteURL,
		ConfirmLabel: "Delete key pair",
		Danger:       true,
		CSRFToken:    vm.CSRFToken,
	}
}

func (vm FormVM) submitLabel() string {
	if vm.IsEdit {
		return "Save key pair"
	}
	return "Upload key pair"
}

func (vm FormVM) certificateLabel() string {
	if vm.IsEdit {
		return "Replace certificate"
	}
	return "Certificate (PEM)"
}

func (vm FormVM) certificateHelp() string {
	if vm.IsEdit {
		return "Leave empty to keep the current certificate. A new one must match the stored key, unless you replace or clear the key too."
	}
	return "The leaf certificate first, then any intermediates, each as a -----BEGIN CERTIFICATE----- block."
}

func (vm FormVM) keyLabel() string {
	if vm.IsEdit {
		return "Replace private key"
	}
	return "Private key (PEM)"
}

func (vm FormVM) keyHelp() string {
	switch {
	case vm.KeySent:
		return "Paste the key again: the console never sends a private key back to the browser."
	case vm.IsEdit:
		return "Leave empty to keep the current key. It is sealed at rest and never shown."
	}
	return "PKCS #1, PKCS #8 or SEC 1; RSA, ECDSA or Ed25519. Leave empty for a certificate you only trust, such as a CA."
}

// keyStatus says whether the stored pair has a key (edit form).
func (vm FormVM) keyStatus() components.BadgeProps {
	if vm.HasKey {
		return components.BadgeProps{Label: "Private key: set", Tone: components.ToneInfo}
	}
	return components.BadgeProps{Label: "Private key: not set"}
}

// fileAttrs are the attributes of a PEM file picker.
func fileAttrs(testID string) templ.Attributes {
	return templ.Attributes{"accept": ".pem,.crt,.cer,.key,.txt,application/x-pem-file", "data-testid": testID}
}

func (vm GenerateVM) keyTypeHelp() string {
	return "ECDSA P-256 is fast and accepted everywhere; choose RSA for old clients."
}
