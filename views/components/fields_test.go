package components_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	c "github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

func TestTextFieldErrorsSitNextToTheirField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		render        func(c.FieldProps) templ.Component
		props         c.FieldProps
		control       string
		wantInvalid   bool
		wantDescribed string
	}{
		{
			name:          "input with error and help",
			render:        c.TextField,
			props:         c.FieldProps{Name: "from", Label: "From", Help: "The external URL.", Error: "Enter an https URL."},
			control:       "input",
			wantInvalid:   true,
			wantDescribed: "f-from-error f-from-help",
		},
		{
			name:          "input with help only",
			render:        c.TextField,
			props:         c.FieldProps{Name: "from", Label: "From", Help: "The external URL."},
			control:       "input",
			wantDescribed: "f-from-help",
		},
		{
			name:    "input with neither",
			render:  c.TextField,
			props:   c.FieldProps{Name: "from", Label: "From"},
			control: "input",
		},
		{
			name:          "textarea with error and custom id",
			render:        c.TextArea,
			props:         c.FieldProps{Name: "cert", ID: "pem", Label: "Certificate", Error: "Not a PEM block."},
			control:       "textarea",
			wantInvalid:   true,
			wantDescribed: "pem-error",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, tc.render(tc.props))
			field := viewtest.Find(t, doc, "field-"+tc.props.Name)
			ctl := field.Find(tc.control)
			if ctl.Length() != 1 {
				t.Fatalf("want one %s in the field, got %d", tc.control, ctl.Length())
			}
			id, _ := ctl.Attr("id")
			if forID, _ := field.Find("label").Attr("for"); forID != id || id == "" {
				t.Fatalf("label for=%q, control id=%q", forID, id)
			}
			inv, hasInv := ctl.Attr("aria-invalid")
			if tc.wantInvalid != (hasInv && inv == "true") {
				t.Fatalf("aria-invalid = %q (present %v), want invalid %v", inv, hasInv, tc.wantInvalid)
			}
			desc, _ := ctl.Attr("aria-describedby")
			if desc != tc.wantDescribed {
				t.Fatalf("aria-describedby = %q, want %q", desc, tc.wantDescribed)
			}
			errEl := field.Find(viewtest.TestID("field-error-" + tc.props.Name))
			if tc.props.Error == "" {
				if errEl.Length() != 0 {
					t.Fatal("error element rendered without an error")
				}
				return
			}
			if got := strings.TrimSpace(errEl.Text()); got != tc.props.Error {
				t.Fatalf("error text = %q, want %q", got, tc.props.Error)
			}
			if errID, _ := errEl.Attr("id"); !strings.Contains(desc, errID) {
				t.Fatalf("error id %q not in aria-describedby %q", errID, desc)
			}
		})
	}
}

func TestTextFieldAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props c.FieldProps
		attr  string
		want  string // "" with present=false means the attribute must be absent
		has   bool
	}{
		{"type defaults to text", c.FieldProps{Name: "n"}, "type", "text", true},
		{"explicit type", c.FieldProps{Name: "n", Type: "email"}, "type", "email", true},
		{"value", c.FieldProps{Name: "n", Value: `a"b<c`}, "value", `a"b<c`, true},
		{"placeholder", c.FieldProps{Name: "n", Placeholder: "30s"}, "placeholder", "30s", true},
		{"no placeholder", c.FieldProps{Name: "n"}, "placeholder", "", false},
		{"maxlength", c.FieldProps{Name: "n", MaxLength: 64}, "maxlength", "64", true},
		{"no maxlength", c.FieldProps{Name: "n"}, "maxlength", "", false},
		{"required", c.FieldProps{Name: "n", Required: true}, "required", "", true},
		{"not required", c.FieldProps{Name: "n"}, "required", "", false},
		{"autofocus", c.FieldProps{Name: "n", Autofocus: true}, "autofocus", "", true},
		{"extra attrs", c.FieldProps{Name: "n", Attrs: templ.Attributes{"hx-post": "/check"}}, "hx-post", "/check", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.TextField(tc.props))
			got, ok := doc.Find("input").Attr(tc.attr)
			if ok != tc.has || got != tc.want {
				t.Fatalf("%s = %q (present %v), want %q (present %v)", tc.attr, got, ok, tc.want, tc.has)
			}
		})
	}
}

func TestRequiredMarker(t *testing.T) {
	t.Parallel()
	for _, required := range []bool{true, false} {
		doc := viewtest.Render(t, c.TextField(c.FieldProps{Name: "n", Label: "Name", Required: required}))
		if got := doc.Find("label .req").Length() == 1; got != required {
			t.Fatalf("required=%v: marker shown %v", required, got)
		}
	}
}

func TestSelectField(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, c.SelectField(c.SelectProps{
		Name: "namespace", Label: "Namespace", Placeholder: "Choose a namespace", Error: "Pick one.",
		Options: []c.Option{
			{Value: "g", Label: "Global"},
			{Value: "e", Label: "Engineering", Depth: 1, Selected: true},
			{Value: "x", Label: "Locked", Depth: 2, Disabled: true},
		},
	}))
	sel := doc.Find("select#f-namespace")
	if v, _ := sel.Attr("aria-invalid"); v != "true" {
		t.Fatal("select with an error is not aria-invalid")
	}
	opts := sel.Find("option")
	tests := []struct {
		name     string
		i        int
		value    string
		label    string
		selected bool
		disabled bool
	}{
		{"placeholder", 0, "", "Choose a namespace", false, false},
		{"root", 1, "g", "Global", false, false},
		{"indented and selected", 2, "e", "\u00a0\u00a0\u00a0Engineering", true, false},
		{"deeper and disabled", 3, "x", strings.Repeat("\u00a0", 6) + "Locked", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := opts.Eq(tc.i)
			if v, _ := o.Attr("value"); v != tc.value {
				t.Fatalf("value = %q, want %q", v, tc.value)
			}
			if o.Text() != tc.label {
				t.Fatalf("label = %q, want %q", o.Text(), tc.label)
			}
			if _, ok := o.Attr("selected"); ok != tc.selected {
				t.Fatalf("selected = %v", ok)
			}
			if _, ok := o.Attr("disabled"); ok != tc.disabled {
				t.Fatalf("disabled = %v", ok)
			}
		})
	}
	if viewtest.Find(t, doc, "field-error-namespace").Length() != 1 {
		t.Fatal("no error under the select")
	}
}

func TestCheckbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		props   c.CheckboxProps
		value   string
		checked bool
		invalid bool
	}{
		{"defaults", c.CheckboxProps{Name: "enforced", Label: "Enforced"}, "true", false, false},
		{"checked with value", c.CheckboxProps{Name: "enforced", Label: "Enforced", Value: "yes", Checked: true}, "yes", true, false},
		{"error", c.CheckboxProps{Name: "enforced", Label: "Enforced", Error: "Nope."}, "true", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.Checkbox(tc.props))
			in := doc.Find(`input[type="checkbox"]`)
			if v, _ := in.Attr("value"); v != tc.value {
				t.Fatalf("value = %q, want %q", v, tc.value)
			}
			if _, ok := in.Attr("checked"); ok != tc.checked {
				t.Fatalf("checked = %v, want %v", ok, tc.checked)
			}
			if _, ok := in.Attr("aria-invalid"); ok != tc.invalid {
				t.Fatalf("aria-invalid present = %v, want %v", ok, tc.invalid)
			}
			if f, _ := doc.Find("label").Attr("for"); f != "f-enforced" {
				t.Fatalf("label for = %q", f)
			}
		})
	}
}

func TestCSRFFieldAndFormError(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, c.CSRFField("tok-123"))
	in := doc.Find(`input[type="hidden"][name="_csrf"]`)
	if v, _ := in.Attr("value"); v != "tok-123" {
		t.Fatalf("csrf value = %q", v)
	}

	tests := []struct {
		name    string
		message string
		want    int
	}{
		{"none when empty", "", 0},
		{"alert when set", "Saving failed: the database is read-only.", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := viewtest.Render(t, c.FormError(tc.message))
			s := doc.Find(viewtest.TestID("form-error"))
			if s.Length() != tc.want {
				t.Fatalf("form-error count = %d, want %d", s.Length(), tc.want)
			}
			if tc.want == 1 {
				if r, _ := s.Attr("role"); r != "alert" {
					t.Fatalf("role = %q", r)
				}
				if !strings.Contains(s.Text(), tc.message) {
					t.Fatalf("text = %q", s.Text())
				}
			}
		})
	}
}

func TestSearchBox(t *testing.T) {
	t.Parallel()
	keep := map[string][]string{"status": {"enforced"}, "page": {"3"}, "q": {"old"}}
	tests := []struct {
		name     string
		props    c.SearchBoxProps
		wantHX   bool
		wantKeep []string
	}{
		{"plain form without target", c.SearchBoxProps{Action: "/ns/g/routes", Value: "api"}, false, nil},
		{"htmx with target keeps filters but not page or query", c.SearchBoxProps{Action: "/ns/g/routes", Value: "api", Target: "#results", Keep: keep}, true, []string{"status=enforced"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.SearchBox(tc.props))
			form := viewtest.Find(t, doc, "search")
			if m, _ := form.Attr("method"); m != "get" {
				t.Fatalf("method = %q", m)
			}
			in := form.Find(`input[type="search"]`)
			if v, _ := in.Attr("value"); v != "api" {
				t.Fatalf("value = %q", v)
			}
			if n, _ := in.Attr("name"); n != "q" {
				t.Fatalf("name = %q", n)
			}
			_, hx := in.Attr("hx-get")
			if hx != tc.wantHX {
				t.Fatalf("hx-get present = %v, want %v", hx, tc.wantHX)
			}
			var kept []string
			form.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
				n, _ := s.Attr("name")
				v, _ := s.Attr("value")
				kept = append(kept, n+"="+v)
			})
			if strings.Join(kept, ",") != strings.Join(tc.wantKeep, ",") {
				t.Fatalf("hidden fields = %v, want %v", kept, tc.wantKeep)
			}
			if form.Find("label.sr-only").Length() != 1 {
				t.Fatal("search input has no label")
			}
		})
	}
}
