package render

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// small is a minimal valid model: one route with one policy and a client
// certificate.
func small(t *testing.T) Model {
	t.Helper()
	sealed, err := apptest.NewSealer(t).Seal([]byte(testdata(t, "client.key")), keypairs.SealContext("kp"))
	if err != nil {
		t.Fatal(err)
	}
	return Model{
		ClusterID: settings.DefaultClusterID,
		Routes: []Route{{ID: "r1", Name: "App", From: "https://app.example.com", To: []string{"http://app:8080"},
			TLSClientKeyPairID: "kp", PolicyIDs: []string{"p1"}}},
		Policies: []Policy{{ID: "p1", Name: "All", PPL: "allow:\n  or:\n    - accept: true\n", Rego: "package pomerium.policy\n\nallow := true\n"}},
		KeyPairs: []KeyPair{{ID: "kp", Name: "Client", CertificatePEM: testdata(t, "client.pem"), SealedKey: sealed}},
	}
}

func TestRenderRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(m *Model)
		want   string
	}{
		{"a policy missing from the model", func(m *Model) { m.Policies = nil }, `route "App" (r1): policy p1 is not in the model`},
		{"a policy without Rego", func(m *Model) { m.Policies[0].Rego = "" }, `policy "All" has no compiled Rego`},
		{"a key pair missing from the model", func(m *Model) { m.Routes[0].TLSCustomCAKeyPairID = "gone" }, "tlsCustomCaKeyPairId: key pair gone is not in the model"},
		{"a client certificate without its key", func(m *Model) { m.KeyPairs[0].SealedKey = "" }, `key pair "Client" has no private key in the model`},
		{"a key sealed for another pair", func(m *Model) { m.KeyPairs[0].ID, m.Routes[0].TLSClientKeyPairID = "other", "other" }, `open the private key of key pair "Client"`},
		{"a route secret that does not open", func(m *Model) { m.Routes[0].Spec.SealedKubernetesServiceAccountToken = "v1.x.y" }, "open the Kubernetes service account token"},
		{"a timeout that does not parse", func(m *Model) { m.Routes[0].Spec.Timeout = "30 seconds" }, `timeout "30 seconds"`},
		{"an unknown load balancing policy", func(m *Model) { m.Routes[0].Spec.LoadBalancingPolicy = "fastest" }, `loadBalancingPolicy "fastest"`},
		{"an unknown JWT issuer format", func(m *Model) { m.Routes[0].Spec.JWTIssuerFormat = "full" }, `jwtIssuerFormat "full"`},
		{"a health check of no kind", func(m *Model) {
			m.Routes[0].Spec.HealthChecks = []db.RouteHealthCheck{{Timeout: "1s", Interval: "1s", HealthyThreshold: 1, UnhealthyThreshold: 1}}
		}, "healthChecks.0: no HTTP, TCP or gRPC check is set"},
		{"a settings duration that does not parse", func(m *Model) { m.Settings.Values.CookieExpire = ptr("forever") }, `render: settings: cookieExpire "forever"`},
		{"a settings secret that does not open", func(m *Model) { m.Settings.Secrets = map[string]string{"cookieSecret": "v1.x.y"} }, "render: settings: open cookieSecret"},
		{"a certificate missing from the model", func(m *Model) { m.CertificateIDs = []string{"gone"} }, "certificates: key pair gone is not in the model"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := small(t)
			if _, err := Render(m, apptest.NewSealer(t)); err != nil {
				t.Fatalf("the unchanged model fails: %v", err)
			}
			tc.change(&m)
			cfg, err := Render(m, apptest.NewSealer(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Render = %v, %v; want an error containing %q", cfg, err, tc.want)
			}
		})
	}
}

// TestEverySettingIsRenderedOrListed sets each setting alone: it must
// change the rendered settings unless NotRendered lists it.
func TestEverySettingIsRenderedOrListed(t *testing.T) {
	t.Parallel()
	names := settings.FieldNames()
	for name := range NotRendered {
		if !slices.Contains(names, name) {
			t.Errorf("NotRendered lists %q, which is not a setting", name)
		}
	}
	typ := reflect.TypeFor[settings.Values]()
	for i := range typ.NumField() {
		field := typ.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := small(t)
			m.KeyPairs = append(m.KeyPairs, KeyPair{ID: "ca", Name: "CA", CertificatePEM: testdata(t, "ca.pem")})
			v := reflect.ValueOf(&m.Settings.Values).Elem().Field(i)
			v.Set(sample(name, field.Type))
			cfg, err := Render(m, apptest.NewSealer(t))
			if err != nil {
				t.Fatal(err)
			}
			unchanged := proto.Equal(cfg.GetSettings(), &configpb.Settings{})
			_, listed := NotRendered[name]
			switch {
			case listed && !unchanged:
				t.Errorf("%s is listed as not rendered, but changes the settings: %v", name, cfg.GetSettings())
			case !listed && unchanged:
				t.Errorf("%s is set but not rendered, and NotRendered does not say why", name)
			}
		})
	}
}

// sample is a valid value for the setting name of type typ.
func sample(name string, typ reflect.Type) reflect.Value {
	text := "x"
	switch {
	case strings.HasSuffix(name, "KeyPairId"):
		text = "ca"
	case strings.Contains(name, "imeout") || strings.Contains(name, "Expire") || strings.Contains(name, "Age"):
		text = "30s"
	}
	switch typ {
	case reflect.TypeFor[*string]():
		return reflect.ValueOf(&text)
	case reflect.TypeFor[*bool]():
		return reflect.ValueOf(ptr(true))
	case reflect.TypeFor[*float64]():
		return reflect.ValueOf(ptr(1.5))
	case reflect.TypeFor[[]string]():
		return reflect.ValueOf([]string{text})
	case reflect.TypeFor[map[string]string]():
		return reflect.ValueOf(map[string]string{"X-A": text})
	}
	panic("no sample for " + typ.String())
}
