package web

import (
	"encoding/base64"
	"errors"
	"path"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/configimport"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// importApply imports the previewed file; when something changed since
// the preview, the preview comes back (422) with why.
func (s *server) importApply(c *fiber.Ctx) error {
	st := state(c)
	data, err := base64.StdEncoding.DecodeString(c.FormValue(configimport.FieldContent))
	if err != nil || len(data) == 0 {
		return fiber.NewError(fiber.StatusBadRequest, "the confirmed file is missing: upload it again")
	}
	up := newUpload(path.Base(c.FormValue(configimport.FieldName)), data)
	plan, err := up.parse()
	if err != nil {
		return s.uploadError(c, up, err)
	}
	out, err := s.ConfigYAML.Apply(c.UserContext(), st.access, plan, st.namespace.ID)
	var problems configyaml.Problems
	switch {
	case errors.As(err, &problems):
		return s.page(c, fiber.StatusUnprocessableEntity, "Preview of the import", layout.SectionRoutes, configimport.PreviewPage(s.previewVM(c, up, out)))
	case err != nil:
		return err
	}
	st.sess.addFlash(components.FlashSuccess, "Imported "+summary(out, false)+".")
	return redirect(c, nsURL(st.namespace.ID, layout.SectionRoutes))
}

// exportCurrent downloads the current configuration of the namespace's
// subtree as config.yaml, or as a zip when Core needs certificate files.
func (s *server) exportCurrent(c *fiber.Ctx) error {
	st := state(c)
	b, err := s.ConfigYAML.ExportCurrent(c.UserContext(), st.access, st.namespace.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if len(b.Files) == 0 {
		c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="config.yaml"`)
		return c.Send(b.YAML)
	}
	archive, err := b.Zip()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="config.zip"`)
	return c.Send(archive)
}

// statusTones colour the outcome of each entity.
var statusTones = map[string]components.Tone{
	configyaml.StatusCreate: components.ToneSuccess, configyaml.StatusUpdate: components.ToneInfo,
	configyaml.StatusConflict: components.ToneWarning, configyaml.StatusInvalid: components.ToneDanger,
}

// previewGroups titles the kinds of entities, in the order they are made.
var previewGroups = []struct{ kind, title string }{
	{configyaml.KindRoute, "Routes"}, {configyaml.KindPolicy, "Policies"},
	{configyaml.KindKeyPair, "Key pairs"}, {configyaml.KindSettings, "Global settings"},
}

func (s *server) previewVM(c *fiber.Ctx, up upload, out *configyaml.Outcome) configimport.PreviewVM {
	st := state(c)
	vm := configimport.PreviewVM{
		NamespaceName: st.namespace.Name, CSRFToken: st.sess.csrfToken(), ApplyAction: importURL(st.namespace.ID, "apply"),
		UploadURL: importURL(st.namespace.ID, ""), FileName: up.name, Content: base64.StdEncoding.EncodeToString(up.data),
		OK: out.OK(), Summary: summary(out, true),
	}
	for _, g := range previewGroups {
		group := configimport.Group{Title: g.title}
		for _, it := range out.Items {
			if it.Kind != g.kind {
				continue
			}
			if it.Kind == configyaml.KindSettings {
				for _, k := range out.Plan.Settings.Keys {
					group.Rows = append(group.Rows, configimport.Row{Name: k.Name, Status: it.Status, Tone: statusTones[it.Status], Key: k.Key, Where: "line " + strconv.Itoa(k.Line)})
				}
				continue
			}
			group.Rows = append(group.Rows, configimport.Row{Name: it.Name, Status: it.Status, Tone: statusTones[it.Status], Key: it.Key, Where: "line " + strconv.Itoa(it.Line)})
		}
		if len(group.Rows) > 0 {
			vm.Groups = append(vm.Groups, group)
		}
	}
	problemsInto(out.Problems(), &vm.Problems)
	problemsInto(configyaml.Problems(out.Plan.Unsupported), &vm.Unsupported)
	return vm
}

// problemsInto appends the Problems inside err to dst; false when err holds
// none.
func problemsInto(err error, dst *[]configimport.Problem) bool {
	var problems configyaml.Problems
	if !errors.As(err, &problems) {
		return false
	}
	for _, p := range problems {
		where := p.File
		if p.Line > 0 {
			where += ":" + strconv.Itoa(p.Line)
		}
		*dst = append(*dst, configimport.Problem{Where: where, Key: p.Key, Message: p.Message})
	}
	return true
}

// summary counts what an import creates ("6 routes, 5 policies and 4 key
// pairs, and 17 global settings"); with conflicts, how many stop it.
func summary(out *configyaml.Outcome, preview bool) string {
	var parts []string
	for _, k := range []struct{ kind, one, many string }{
		{configyaml.KindRoute, "route", "routes"}, {configyaml.KindPolicy, "policy", "policies"}, {configyaml.KindKeyPair, "key pair", "key pairs"},
	} {
		if n := out.Count(k.kind, ""); n > 0 {
			parts = append(parts, plural(n, k.one, k.many))
		}
	}
	text := joinList(parts)
	if n := len(out.Plan.Settings.Keys); n > 0 && out.Count(configyaml.KindSettings, "") > 0 {
		if text != "" {
			text += ", and "
		}
		text += plural(n, "global setting", "global settings")
	}
	if text == "" {
		text = "nothing: the file holds no routes, certificates or settings the console manages"
	}
	if !preview {
		return text
	}
	if bad := len(out.Problems()); bad > 0 {
		return "The file holds " + text + ". " + plural(bad, "problem stops", "problems stop") + " the import."
	}
	return "Importing creates " + text + "."
}

// joinList joins "a", "a and b", "a, b and c".
func joinList(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
