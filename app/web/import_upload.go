package web

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/views/configimport"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// importMaxSize bounds an uploaded config.yaml or zip.
const importMaxSize = 4 << 20

func registerImport(r fiber.Router, s *server) {
	r.Get("/import", s.importForm)
	r.Post("/import/preview", s.importPreview)
	r.Post("/import/apply", s.importApply)
	// Before the deployments' /deployments/:id, which would take it.
	r.Get("/deployments/export.yaml", s.exportCurrent)
}

func importURL(nsID, rest string) string {
	if rest == "" {
		return nsURL(nsID, "import")
	}
	return nsURL(nsID, "import/"+rest)
}

func (s *server) importForm(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleManager); err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "Import config.yaml", layout.SectionRoutes, configimport.UploadPage(s.uploadVM(c)))
}

// importPreview reads the upload and shows what importing it would do, or
// the form again with the file's problems.
func (s *server) importPreview(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleManager); err != nil {
		return err
	}
	up, err := readUpload(c)
	if err != nil {
		return s.uploadError(c, up, err)
	}
	plan, err := up.parse()
	if err != nil {
		return s.uploadError(c, up, err)
	}
	out, err := s.ConfigYAML.Preview(c.UserContext(), st.access, plan, st.namespace.ID)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "Preview of the import", layout.SectionRoutes, configimport.PreviewPage(s.previewVM(c, up, out)))
}

// uploadError shows the form again (422) with the file's problems, or
// with a sentence for an upload that could not be read.
func (s *server) uploadError(c *fiber.Ctx, up upload, err error) error {
	vm := s.uploadVM(c)
	if !up.zipped {
		vm.Pasted = string(up.data)
	}
	if !problemsInto(err, &vm.Problems) {
		vm.FormError = err.Error()
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "Import config.yaml", layout.SectionRoutes, configimport.UploadPage(vm))
}

func (s *server) uploadVM(c *fiber.Ctx) configimport.UploadVM {
	st := state(c)
	return configimport.UploadVM{
		Action: importURL(st.namespace.ID, "preview"), CancelURL: nsURL(st.namespace.ID, layout.SectionRoutes),
		CSRFToken: st.sess.csrfToken(), NamespaceName: st.namespace.Name,
	}
}

// upload is an uploaded (or pasted) config.yaml, or a zip holding one.
type upload struct {
	name   string
	data   []byte
	zipped bool
}

// errNoUpload asks for a file.
var errNoUpload = fmt.Errorf("choose a config.yaml to upload, or paste it")

// readUpload takes the uploaded file, else the pasted text.
func readUpload(c *fiber.Ctx) (upload, error) {
	fh, err := c.FormFile(configimport.FieldFile)
	if err != nil || fh.Size == 0 {
		pasted := c.FormValue(configimport.FieldPasted)
		if strings.TrimSpace(pasted) == "" {
			return upload{}, errNoUpload
		}
		return upload{name: "config.yaml", data: []byte(pasted)}, nil
	}
	if fh.Size > importMaxSize {
		return upload{}, fmt.Errorf("%s is %d bytes: the import takes files up to %d MB", fh.Filename, fh.Size, importMaxSize>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return upload{}, fmt.Errorf("web: open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, importMaxSize))
	if err != nil {
		return upload{}, fmt.Errorf("web: read upload: %w", err)
	}
	return newUpload(path.Base(fh.Filename), data), nil
}

func newUpload(name string, data []byte) upload {
	return upload{name: name, data: data, zipped: bytes.HasPrefix(data, []byte("PK\x03\x04"))}
}

// parse reads the upload: a config.yaml, or a zip of one with its files.
func (up upload) parse() (*configyaml.Plan, error) {
	if up.zipped {
		return configyaml.ParseZip(up.name, up.data)
	}
	return configyaml.Parse(up.name, up.data)
}
