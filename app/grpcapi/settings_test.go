package grpcapi_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

const cookieSecret = "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM="

// fullSettings sets every field the console supports.
func fullSettings() *pb.Settings {
	return &pb.Settings{
		LogLevel: proto.String("debug"), ProxyLogLevel: proto.String("warn"),
		AccessLogFields:    &pb.Settings_StringList{Values: []string{"method", "path"}},
		AuthorizeLogFields: &pb.Settings_StringList{Values: []string{"user", "email"}},
		Address:            proto.String(":8443"), DnsLookupFamily: proto.String("V4_ONLY"), HttpRedirectAddr: proto.String(":80"),
		MetricsAddress: proto.String(":9090"), SkipXffAppend: proto.Bool(true),
		TimeoutRead: durationpb.New(30 * time.Second), TimeoutWrite: durationpb.New(0), TimeoutIdle: durationpb.New(5 * time.Minute),
		DefaultUpstreamTimeout: durationpb.New(1500 * time.Millisecond), CookieExpire: durationpb.New(14 * time.Hour),
		CookieName: proto.String("_sso"), CookieDomain: proto.String("example.com"), CookieSecure: proto.Bool(true),
		CookieHttpOnly: proto.Bool(true), CookieSameSite: proto.String("lax"), CookieSecret: proto.String(cookieSecret),
		JwtClaimsHeaders: map[string]string{"X-Email": "email"}, SetResponseHeaders: map[string]string{"X-Frame-Options": "DENY"},
		PassIdentityHeaders: proto.Bool(true), AuthenticateServiceUrl: proto.String("https://authenticate.example.com"),
		IdpProvider: proto.String("oidc"), IdpClientId: proto.String("console"), IdpClientSecret: proto.String("s3cret"),
		IdpProviderUrl: proto.String("https://idp.example.com"), Scopes: []string{"openid", "email"},
		RequestParams: map[string]string{"prompt": "login"}, AutoApplyChangesets: proto.Bool(false),
	}
}

// storedSettings reads the default cluster's row.
func storedSettings(t *testing.T, e *consoleEnv) (map[string]any, db.Settings) {
	t.Helper()
	row, err := e.app.Store.GetSettings(t.Context(), db.DefaultClusterID)
	if err != nil {
		t.Fatal(err)
	}
	var values map[string]any
	if err := json.Unmarshal([]byte(row.Values), &values); err != nil {
		t.Fatal(err)
	}
	return values, row
}

func TestSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	s := pb.NewSettingsServiceClient(e.admin(t))
	ctx := t.Context()

	empty, err := s.GetSettings(ctx, &pb.GetSettingsRequest{})
	if err != nil || empty.GetSettings().GetId() != db.DefaultClusterID || empty.GetSettings().LogLevel != nil {
		t.Fatalf("settings never saved = %v, %v", empty, err)
	}

	set, err := s.SetSettings(ctx, &pb.SetSettingsRequest{Settings: fullSettings()})
	if err != nil {
		t.Fatal(err)
	}
	want := fullSettings()
	// Secrets are never returned; the ids and time are filled in.
	want.CookieSecret, want.IdpClientSecret = nil, nil
	want.Id, want.ClusterId, want.ModifiedAt = db.DefaultClusterID, proto.String(db.DefaultClusterID), set.GetSettings().GetModifiedAt()
	if !proto.Equal(set.GetSettings(), want) {
		t.Fatalf("SetSettings returned\n%v\nwant\n%v", set.GetSettings(), want)
	}
	got, err := s.GetSettings(ctx, &pb.GetSettingsRequest{ClusterId: proto.String(db.DefaultClusterID)})
	if err != nil || !proto.Equal(got.GetSettings(), want) {
		t.Fatalf("GetSettings = %v, %v", got, err)
	}
	values, row := storedSettings(t, e)
	if values["timeoutRead"] != "30s" || values["defaultUpstreamTimeout"] != "1s500ms" || values["identityProvider"] != "oidc" ||
		values["downstreamMtlsCaKeyPairId"] != nil {
		t.Fatalf("stored values = %v", values)
	}
	if !slices.Equal(slices.Sorted(maps.Keys(row.Secrets)), []string{"cookieSecret", "identityProviderClientSecret"}) {
		t.Fatalf("stored secrets = %v", slices.Sorted(maps.Keys(row.Secrets)))
	}
	for _, a := range e.activity(t) {
		if strings.Contains(a.Before+a.After, "s3cret") || strings.Contains(a.Before+a.After, cookieSecret) {
			t.Fatalf("entry %s logs a secret", a.ID)
		}
	}

	// Sending back what GetSettings returned changes nothing: the secrets
	// it could not return are kept.
	entries := len(e.activity(t))
	if _, err := s.SetSettings(ctx, &pb.SetSettingsRequest{Settings: got.GetSettings()}); err != nil {
		t.Fatal(err)
	}
	if _, again := storedSettings(t, e); !maps.Equal(again.Secrets, row.Secrets) || again.Values != row.Values {
		t.Fatalf("a round trip changed the settings: %+v", again)
	}
	if n := len(e.activity(t)); n != entries {
		t.Fatalf("a round trip wrote %d activity entries", n-entries)
	}

	// An empty secret clears it; an unset field is unset. Without an
	// identity provider its client secret must go too.
	clear := &pb.Settings{CookieSecret: proto.String(""), IdpClientSecret: proto.String(""), LogLevel: proto.String("info")}
	cleared, err := s.SetSettings(ctx, &pb.SetSettingsRequest{Settings: clear})
	if err != nil {
		t.Fatal(err)
	}
	if cleared.GetSettings().GetIdpProvider() != "" || cleared.GetSettings().GetLogLevel() != "info" {
		t.Fatalf("after replacing = %v", cleared.GetSettings())
	}
	values, row = storedSettings(t, e)
	if len(row.Secrets) != 0 || len(values) != 1 {
		t.Fatalf("after replacing: values %v, secrets %v", values, slices.Collect(maps.Keys(row.Secrets)))
	}
}

func TestSettingsKeepConsoleOnlyValues(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	ctx := t.Context()
	// Tracing has no field in the message: a SetSettings keeps it.
	if err := e.app.Store.PutSettings(ctx, db.Settings{
		ClusterID: db.DefaultClusterID, Values: `{"tracingProvider":"zipkin","tracingZipkinEndpoint":"http://zipkin:9411/api/v2/spans","logLevel":"warn"}`,
		Secrets: map[string]string{}, CreatedAt: time.Now(), ModifiedAt: time.Now(),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := pb.NewSettingsServiceClient(e.admin(t)).SetSettings(ctx, &pb.SetSettingsRequest{Settings: &pb.Settings{LogLevel: proto.String("error")}}); err != nil {
		t.Fatal(err)
	}
	values, _ := storedSettings(t, e)
	if values["tracingProvider"] != "zipkin" || values["tracingZipkinEndpoint"] == nil || values["logLevel"] != "error" {
		t.Fatalf("stored values = %v", values)
	}
}

func TestSettingsErrors(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	admin := pb.NewSettingsServiceClient(e.admin(t))
	viewer := pb.NewSettingsServiceClient(e.as(t, "vera", db.GlobalNamespaceID, "viewer"))
	nobody := pb.NewSettingsServiceClient(e.as(t, "nobody", "", ""))
	ctx := t.Context()
	if _, err := admin.SetSettings(ctx, &pb.SetSettingsRequest{Settings: &pb.Settings{LogLevel: proto.String("warn")}}); err != nil {
		t.Fatal(err)
	}
	_, before := storedSettings(t, e)
	entries := len(e.activity(t))

	tests := []struct {
		name   string
		client pb.SettingsServiceClient
		req    *pb.Settings
		code   codes.Code
		texts  []string
	}{
		{"unsupported fields", admin, &pb.Settings{
			LogLevel: proto.String("info"), PrimaryColor: proto.String("#ff0000"), DnsUseTcp: proto.Bool(true),
			Certificates: []*pb.Settings_Certificate{{KeyPairId: "k"}}, BlobStorage: &pb.BlobStorageSettings{BucketUri: proto.String("s3://b")},
		}, codes.InvalidArgument, []string{"settings.primary_color: is not supported", "settings.dns_use_tcp", "settings.certificates", "settings.blob_storage"}},
		{"cluster fields", admin, &pb.Settings{SharedSecret: proto.String(cookieSecret), DatabrokerServiceUrl: proto.String("http://x")},
			codes.InvalidArgument, []string{"settings.shared_secret: is the cluster's", "settings.databroker_service_url"}},
		{"invalid values", admin, &pb.Settings{LogLevel: proto.String("loud"), CookieSecret: proto.String("short"), Address: proto.String("nowhere")},
			codes.InvalidArgument, []string{"settings.log_level: must be one of", "settings.cookie_secret", "settings.address"}},
		{"identity provider rules", admin, &pb.Settings{IdpProvider: proto.String("okta")},
			codes.InvalidArgument, []string{"settings.idp_client_id", "settings.idp_client_secret", "settings.idp_provider_url"}},
		{"sub-millisecond duration", admin, &pb.Settings{TimeoutRead: durationpb.New(1500 * time.Microsecond), TimeoutIdle: durationpb.New(-time.Second)},
			codes.InvalidArgument, []string{"settings.timeout_read: must be a whole number of milliseconds", "settings.timeout_idle: must not be negative"}},
		{"unknown key pair", admin, &pb.Settings{ClientCaKeyPairId: proto.String("ghost")}, codes.InvalidArgument, []string{"settings.client_ca_key_pair_id"}},
		{"two clusters", admin, &pb.Settings{Id: "a", ClusterId: proto.String("b")}, codes.InvalidArgument, []string{"settings.id"}},
		{"unknown cluster", admin, &pb.Settings{ClusterId: proto.String("ghost")}, codes.NotFound, []string{`"ghost"`}},
		{"viewer", viewer, &pb.Settings{LogLevel: proto.String("info")}, codes.PermissionDenied, []string{"admin role"}},
		{"viewer with unsupported fields", viewer, &pb.Settings{PrimaryColor: proto.String("red")}, codes.PermissionDenied, []string{"admin role"}},
	}
	for _, tc := range tests {
		_, err := tc.client.SetSettings(ctx, &pb.SetSettingsRequest{Settings: tc.req})
		t.Run(tc.name, func(t *testing.T) { expectCode(t, err, tc.code, tc.texts...) })
	}
	_, err := admin.SetSettings(ctx, &pb.SetSettingsRequest{})
	expectCode(t, err, codes.InvalidArgument, "settings:")
	if _, after := storedSettings(t, e); after.Values != before.Values || !maps.Equal(after.Secrets, before.Secrets) {
		t.Fatalf("refused calls changed the settings: %+v", after)
	}
	if n := len(e.activity(t)); n != entries {
		t.Fatalf("refused calls wrote %d activity entries", n-entries)
	}

	// Fields left at their default are not "set".
	if _, err := admin.SetSettings(ctx, &pb.SetSettingsRequest{Settings: &pb.Settings{
		LogLevel: proto.String("warn"), InsecureServer: proto.Bool(false), PrimaryColor: proto.String(""), Certificates: []*pb.Settings_Certificate{},
	}}); err != nil {
		t.Fatalf("defaults of unsupported fields: %v", err)
	}

	if got, err := viewer.GetSettings(ctx, &pb.GetSettingsRequest{}); err != nil || got.GetSettings().GetLogLevel() != "warn" {
		t.Fatalf("viewer GetSettings = %v, %v", got, err)
	}
	_, err = nobody.GetSettings(ctx, &pb.GetSettingsRequest{})
	expectCode(t, err, codes.PermissionDenied, "Global")
	_, err = admin.GetSettings(ctx, &pb.GetSettingsRequest{ClusterId: proto.String("ghost")})
	expectCode(t, err, codes.NotFound, `"ghost"`)
}

func TestBrandingAndConsoleSettings(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	admin := pb.NewSettingsServiceClient(e.admin(t))
	nobody := pb.NewSettingsServiceClient(e.as(t, "nobody", "", ""))
	ctx := t.Context()
	if _, err := admin.SetSettings(ctx, &pb.SetSettingsRequest{Settings: fullSettings()}); err != nil {
		t.Fatal(err)
	}

	// Anyone signed in reads branding and console settings, which hold
	// nothing else.
	b, err := nobody.GetBrandingSettings(ctx, &pb.GetSettingsRequest{})
	if err != nil || !proto.Equal(b.GetSettings(), &pb.Settings{Id: db.DefaultClusterID, ClusterId: proto.String(db.DefaultClusterID)}) {
		t.Fatalf("GetBrandingSettings = %v, %v", b, err)
	}
	_, err = nobody.GetBrandingSettings(ctx, &pb.GetSettingsRequest{ClusterId: proto.String("ghost")})
	expectCode(t, err, codes.NotFound, `"ghost"`)

	c, err := nobody.GetConsoleSettings(ctx, &pb.GetConsoleSettingsRequest{})
	if err != nil || !c.GetConsoleSettings().GetUseChangesets() {
		t.Fatalf("GetConsoleSettings = %v, %v; want use_changesets", c, err)
	}
	auto := fullSettings()
	auto.AutoApplyChangesets = proto.Bool(true)
	if _, err := admin.SetSettings(ctx, &pb.SetSettingsRequest{Settings: auto}); err != nil {
		t.Fatal(err)
	}
	c, err = nobody.GetConsoleSettings(ctx, &pb.GetConsoleSettingsRequest{})
	if err != nil || c.GetConsoleSettings().GetUseChangesets() {
		t.Fatalf("GetConsoleSettings with auto-apply = %v, %v", c, err)
	}
}

func TestSettingsOfAnotherCluster(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	ctx := t.Context()
	added, err := pb.NewClustersServiceClient(e.admin(t)).AddCluster(ctx, &pb.AddClusterRequest{
		ParentNamespaceId: db.GlobalNamespaceID, Cluster: &pb.Cluster{Name: "Edge"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := added.GetCluster().GetId()
	s := pb.NewSettingsServiceClient(e.admin(t))
	if _, err := s.SetSettings(ctx, &pb.SetSettingsRequest{Settings: &pb.Settings{Id: id, LogLevel: proto.String("debug")}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSettings(ctx, &pb.GetSettingsRequest{ClusterId: proto.String(id)})
	if err != nil || got.GetSettings().GetLogLevel() != "debug" || got.GetSettings().GetClusterId() != id {
		t.Fatalf("the cluster's settings = %v, %v", got, err)
	}
	def, err := s.GetSettings(ctx, &pb.GetSettingsRequest{})
	if err != nil || def.GetSettings().LogLevel != nil {
		t.Fatalf("the default cluster's settings changed too: %v, %v", def, err)
	}
	cl, err := pb.NewClustersServiceClient(e.admin(t)).GetCluster(ctx, &pb.GetClusterRequest{Id: id})
	if err != nil || cl.GetSettings().GetLogLevel() != "debug" {
		t.Fatalf("GetCluster settings = %v, %v", cl.GetSettings(), err)
	}
}
