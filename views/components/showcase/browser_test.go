package showcase

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// TestBrowserBehaviour drives app.js and htmx in headless chromium: the namespace filter, modals,
// toasts, the CSRF header and the 422 swap. It skips when no Chromium is found.
func TestBrowserBehaviour(t *testing.T) {
	browserCtx := viewtest.StartBrowser(t)
	html := render(t)
	var probe bytes.Buffer
	if err := layout.Page(shell("Probe", layout.SectionRoutes, nil), htmxProbe()).Render(context.Background(), &probe); err != nil {
		t.Fatal(err)
	}
	html["/probe"] = probe.Bytes()
	srv := serve(t, html, map[string]http.HandlerFunc{
		"/created": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			if err := createdFragment().Render(r.Context(), w); err != nil {
				t.Error(err)
			}
		},
		"/echo": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprintf(w, "<p>token=%s</p>", r.Header.Get("X-CSRF-Token"))
		},
	})

	tests := []struct {
		name  string
		path  string
		steps []chromedp.Action[chromedp.Void]
		check string // JavaScript that must evaluate to true
	}{
		{
			name:  "switcher filter keeps ancestors of matches",
			path:  "/routes-list",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-testid="ns-switcher"] summary`), chromedp.WaitVisible(`#ns-filter`), chromedp.SendKeys(`#ns-filter`, "plat")},
			check: `[...document.querySelectorAll('#ns-list li[data-filter-text]')].filter(li => !li.hidden).map(li => li.dataset.filterText).join(',') === 'global,engineering,platform'`,
		},
		{
			name:  "switcher filter says when nothing matches",
			path:  "/routes-list",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-testid="ns-switcher"] summary`), chromedp.WaitVisible(`#ns-filter`), chromedp.SendKeys(`#ns-filter`, "zzz")},
			check: `!document.querySelector('[data-filter-empty]').hidden`,
		},
		{
			name:  "confirm button opens its modal",
			path:  "/routes-list",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-modal-open="delete-r0"]`), chromedp.WaitVisible(`#delete-r0`)},
			check: `document.getElementById('delete-r0').matches(':modal')`,
		},
		{
			name:  "cancel closes the modal",
			path:  "/routes-list",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-modal-open="delete-r0"]`), chromedp.WaitVisible(`#delete-r0`), chromedp.Click(`#delete-r0 .modal-foot button.btn:not(.btn-danger)`), chromedp.WaitNotVisible(`#delete-r0`)},
			check: `!document.getElementById('delete-r0').open`,
		},
		{
			name:  "one-time secret opens modally on load",
			path:  "/secret-modal",
			steps: []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(`#sa-token`)},
			check: `document.getElementById('sa-token').matches(':modal') && !document.querySelector('#sa-token [data-copy-target]').hidden`,
		},
		{
			name:  "toast close button dismisses it",
			path:  "/routes-list",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-toast-close]`), chromedp.WaitNotPresent(`[data-testid="toast"]`)},
			check: `document.querySelectorAll('[data-testid="toast"]').length === 0`,
		},
		{
			name:  "htmx sends the CSRF header and swaps a 422",
			path:  "/probe",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-testid="probe"]`), chromedp.WaitVisible(`#out p`)},
			check: `document.getElementById('out').textContent === 'token=csrf'`,
		},
		{
			name:  "swapped secret opens modally and an out-of-band toast arrives enhanced",
			path:  "/probe",
			steps: []chromedp.Action[chromedp.Void]{chromedp.Click(`[data-testid="probe-created"]`), chromedp.WaitVisible(`#new-token`), chromedp.WaitVisible(`#toasts [data-toast-close]`)},
			check: `document.getElementById('new-token').matches(':modal') && document.querySelector('#toasts .toast-body').textContent === 'Service account created.'`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(browserCtx, 20*time.Second)
			defer cancel()
			steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + tc.path)}, tc.steps...)
			if err := chromedp.Do(ctx, steps...); err != nil {
				t.Fatalf("steps: %v", err)
			}
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](tc.check))
			if err != nil {
				t.Fatalf("evaluate: %v", err)
			}
			if !ok {
				t.Fatalf("check failed: %s", tc.check)
			}
		})
	}
}
