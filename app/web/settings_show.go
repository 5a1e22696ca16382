package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
	settingsview "github.com/pomerium-console-oss/pomerium-console/views/settings"
)

// Settings are global: the page reads the same under every namespace, and
// its URL keeps the namespace the caller came from.
func registerSettings(r fiber.Router, s *server) {
	r.Get("/settings", s.settingsShow)
	r.Post("/settings", s.settingsUpdate)
}

func (s *server) settingsShow(c *fiber.Ctx) error {
	view, err := s.Settings.Get(c.UserContext(), state(c).access, settings.DefaultClusterID)
	if err != nil {
		return err
	}
	vm, err := s.settingsPage(c, view, settings.FormText(view.Values), nil)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "Settings", layout.SectionSettings, settingsview.Page(vm))
}

// settingsPage builds the page showing texts (the stored values, or what
// was submitted) with errors.
func (s *server) settingsPage(c *fiber.Ctx, view settings.View, texts, errors map[string]string) (settingsview.PageVM, error) {
	st := state(c)
	pairs, err := s.Settings.KeyPairChoices(c.UserContext(), st.access)
	if err != nil {
		return settingsview.PageVM{}, err
	}
	in := settingsview.Input{
		Values: texts, Defaults: settings.CoreDefaults, Errors: errors,
		Choices: map[string][]components.Option{
			"logLevel":                      options(settings.LogLevels),
			"proxyLogLevel":                 options(settings.LogLevels),
			"dnsLookupFamily":               options(settings.DNSLookupFamilies),
			"cookieSameSite":                options(settings.CookieSameSites),
			"tracingProvider":               options(settings.TracingProviders),
			"identityProvider":              options(settings.IdentityProviders),
			"certificateAuthorityKeyPairId": keyPairOptions(pairs, s.Now()),
			"downstreamMtlsCaKeyPairId":     keyPairOptions(pairs, s.Now()),
		},
		SecretsSet: map[string]bool{},
	}
	for _, name := range view.SetSecrets() {
		in.SecretsSet[string(name)] = true
	}
	vm := settingsview.PageVM{
		Action:    nsURL(st.namespace.ID, "settings"),
		CSRFToken: st.sess.csrfToken(),
		ReadOnly:  st.access.Role(db.GlobalNamespaceID) < rbac.RoleAdmin,
	}
	if !view.ModifiedAt.IsZero() {
		vm.Saved = "Last saved " + formatTime(view.ModifiedAt)
	}
	return settingsview.Build(vm, in), nil
}

func options(choices []string) []components.Option {
	out := make([]components.Option, len(choices))
	for i, c := range choices {
		out[i] = components.Option{Value: c, Label: c}
	}
	return out
}

// keyPairOptions offers the CA key pairs of Global; the others are listed
// disabled, so an admin sees why a pair cannot be chosen.
func keyPairOptions(pairs []db.KeyPair, now time.Time) []components.Option {
	out := make([]components.Option, 0, len(pairs))
	for _, kp := range pairs {
		label := kp.Name
		if kp.Subject != "" {
			label += " — " + kp.Subject
		}
		if !kp.NotAfter.IsZero() && kp.NotAfter.Before(now) {
			label += " (expired)"
		}
		if !kp.IsCA {
			label += " (not a CA)"
		}
		out = append(out, components.Option{Value: kp.ID, Label: label, Disabled: !kp.IsCA})
	}
	return out
}
