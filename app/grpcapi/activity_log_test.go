package grpcapi_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// namespaceHistory creates, renames and deletes a namespace through the
// API and returns its id.
func namespaceHistory(t *testing.T, e *consoleEnv) string {
	t.Helper()
	ns := pb.NewNamespaceServiceClient(e.admin(t))
	created, err := ns.SetNamespace(t.Context(), &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: db.GlobalNamespaceID, Name: "Temp"}})
	if err != nil {
		t.Fatal(err)
	}
	id := created.GetNamespace().GetId()
	if _, err := ns.SetNamespace(t.Context(), &pb.SetNamespaceRequest{Namespace: &pb.Namespace{Id: id, ParentId: db.GlobalNamespaceID, Name: "Temporary"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ns.DeleteNamespace(t.Context(), &pb.DeleteNamespaceRequest{Id: id}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestActivityLogEntries(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	id := namespaceHistory(t, e)
	log := pb.NewActivityLogServiceClient(e.admin(t))
	ctx := t.Context()

	list, err := log.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{EntityType: proto.String("namespace")})
	if err != nil {
		t.Fatal(err)
	}
	if list.GetTotalCount() != 3 || len(list.GetEntries()) != 3 {
		t.Fatalf("entries = %d of %d, want 3", len(list.GetEntries()), list.GetTotalCount())
	}
	del, upd, create := list.GetEntries()[0], list.GetEntries()[1], list.GetEntries()[2]
	for _, tc := range []struct {
		entry         *pb.ActivityLogEntry
		typ, name     string
		data          string
		added, remove bool
	}{
		{create, "create", "Temp", `"name": "Temp"`, true, false},
		{upd, "update", "Temporary", `"name": "Temporary"`, true, true},
		{del, "delete", "Temporary", `"name": "Temporary"`, false, true}, // a delete shows what was deleted
	} {
		en := tc.entry
		if en.GetActivityType() != tc.typ || en.GetName() != tc.name || en.GetEntityId() != id || en.GetEntityType() != "namespace" ||
			en.GetUserEmail() != "admin@example.com" || en.GetUserId() != "admin" || en.GetNamespaceId() != db.GlobalNamespaceID ||
			en.GetNamespaceName() != "Global" || en.GetClusterId() != db.DefaultClusterID || en.GetCreatedAt() == nil {
			t.Errorf("%s entry = %v", tc.typ, en)
		}
		if !strings.Contains(en.GetEntityData(), tc.data) {
			t.Errorf("%s entity_data = %s, want it to contain %s", tc.typ, en.GetEntityData(), tc.data)
		}
		if d := en.GetDiffSummary(); (d.GetAdded() > 0) != tc.added || (d.GetRemoved() > 0) != tc.remove {
			t.Errorf("%s diff_summary = %v", tc.typ, d)
		}
	}
	// A rename changes one line of the snapshot.
	if d := upd.GetDiffSummary(); d.GetAdded() != 1 || d.GetRemoved() != 1 {
		t.Errorf("rename diff_summary = %v, want +1 -1", d)
	}

	got, err := log.GetActivityLogEntry(ctx, &pb.GetActivityLogEntryRequest{Id: upd.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got.GetEntry(), upd) || got.GetPreviousEntryId() != create.GetId() || got.GetNextEntryId() != del.GetId() {
		t.Fatalf("GetActivityLogEntry = %v; want previous %s, next %s", got, create.GetId(), del.GetId())
	}
	first, err := log.GetActivityLogEntry(ctx, &pb.GetActivityLogEntryRequest{Id: create.GetId()})
	if err != nil || first.PreviousEntryId != nil || first.GetNextEntryId() != upd.GetId() {
		t.Fatalf("the first entry of the entity = %v, %v", first, err)
	}

	// Filters: activity type, one entity, paging.
	for _, tc := range []struct {
		name string
		req  *pb.ListActivityLogEntriesRequest
		want []string
	}{
		{"activity type", &pb.ListActivityLogEntriesRequest{ActivityType: proto.String("update")}, []string{upd.GetId()}},
		{"one entity", &pb.ListActivityLogEntriesRequest{Entities: []*pb.ListActivityLogEntriesRequest_Entity{{Type: "namespace", Id: id}}},
			[]string{del.GetId(), upd.GetId(), create.GetId()}},
		{"page", &pb.ListActivityLogEntriesRequest{EntityId: proto.String(id), Offset: proto.Int64(1), Limit: proto.Int64(1)}, []string{upd.GetId()}},
		{"user", &pb.ListActivityLogEntriesRequest{UserId: proto.String("someone-else")}, nil},
		{"only Global itself", &pb.ListActivityLogEntriesRequest{NamespaceId: proto.String(db.GlobalNamespaceID), EntityId: proto.String(id)},
			[]string{del.GetId(), upd.GetId(), create.GetId()}},
		{"newest first asked explicitly", &pb.ListActivityLogEntriesRequest{EntityId: proto.String(id),
			Sort: &pb.ListActivityLogEntriesRequest_Sort{Column: "created_at", Direction: "desc"}},
			[]string{del.GetId(), upd.GetId(), create.GetId()}},
	} {
		res, err := log.ListActivityLogEntries(ctx, tc.req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var ids []string
		for _, en := range res.GetEntries() {
			ids = append(ids, en.GetId())
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: ids = %v, want %v", tc.name, ids, tc.want)
		}
	}

	types, err := log.ListEntityTypes(ctx, &pb.ListEntityTypesRequest{})
	if err != nil || !slices.Contains(types.GetEntityTypes(), "namespace") || !slices.Contains(types.GetEntityTypes(), "route") {
		t.Fatalf("ListEntityTypes = %v, %v", types, err)
	}
}

func TestActivityLogVersionsAndServiceAccounts(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	ctx := t.Context()
	// A settings change is a configuration change: its entry has a revision.
	if _, err := pb.NewSettingsServiceClient(e.admin(t)).SetSettings(ctx, &pb.SetSettingsRequest{Settings: &pb.Settings{LogLevel: proto.String("debug")}}); err != nil {
		t.Fatal(err)
	}
	rev, _, err := e.app.Store.ConfigRevision(ctx)
	if err != nil || rev == 0 {
		t.Fatalf("config revision = %d, %v", rev, err)
	}
	// An entry written by a service account names it.
	if err := e.app.Store.InsertActivity(ctx, db.ActivityEntry{
		ID: "sa-entry", CreatedAt: time.Now(), ActivityType: "create", NamespaceID: db.GlobalNamespaceID, NamespaceName: "Global",
		UserID: "robot", ServiceAccountID: "sa-1", EntityType: "route", EntityID: "r1", EntityName: "Wiki", After: "{}",
	}); err != nil {
		t.Fatal(err)
	}
	log := pb.NewActivityLogServiceClient(e.admin(t))
	list, err := log.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{EntityType: proto.String("settings")})
	if err != nil || len(list.GetEntries()) != 1 {
		t.Fatalf("settings entries = %v, %v", list, err)
	}
	if en := list.GetEntries()[0]; en.GetDbVersion() != uint64(rev) || en.GetClusterId() != db.DefaultClusterID ||
		!strings.Contains(en.GetEntityData(), `"logLevel": "debug"`) {
		t.Fatalf("settings entry = %v, want db_version %d", en, rev)
	}
	sa, err := log.GetActivityLogEntry(ctx, &pb.GetActivityLogEntryRequest{Id: "sa-entry"})
	if err != nil || sa.GetEntry().GetServiceAccountId() != "sa-1" || sa.GetEntry().GetDbVersion() != 0 {
		t.Fatalf("service account entry = %v, %v", sa, err)
	}
}

func TestActivityLogErrors(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	id := namespaceHistory(t, e)
	admin := pb.NewActivityLogServiceClient(e.admin(t))
	vera := pb.NewActivityLogServiceClient(e.as(t, "vera", team, "viewer"))
	nobody := pb.NewActivityLogServiceClient(e.as(t, "nobody", "", ""))
	ctx := t.Context()

	tests := []struct {
		name  string
		req   *pb.ListActivityLogEntriesRequest
		texts []string
	}{
		{"text query", &pb.ListActivityLogEntriesRequest{Query: proto.String("Temp")}, []string{"query: is not supported"}},
		{"db versions", &pb.ListActivityLogEntriesRequest{DbVersions: []uint64{1}}, []string{"db_versions"}},
		{"date filter", &pb.ListActivityLogEntriesRequest{DateFilter: &pb.ListActivityLogEntriesRequest_DateFilter{Operator: "after"}}, []string{"date_filter"}},
		{"string filter", &pb.ListActivityLogEntriesRequest{StringFilter: &pb.ListActivityLogEntriesRequest_StringFilter{FieldName: "user_email", Value: "x"}}, []string{"string_filter"}},
		{"sort", &pb.ListActivityLogEntriesRequest{Sort: &pb.ListActivityLogEntriesRequest_Sort{Column: "user_email", Direction: "asc"}},
			[]string{"sort.column", "sort.direction"}},
		{"unknown entity type", &pb.ListActivityLogEntriesRequest{EntityType: proto.String("spaceship")}, []string{"entity_type: must be one of"}},
		{"unknown activity type", &pb.ListActivityLogEntriesRequest{ActivityType: proto.String("explode")}, []string{"activity_type"}},
		{"two entities", &pb.ListActivityLogEntriesRequest{Entities: []*pb.ListActivityLogEntriesRequest_Entity{{Type: "route", Id: "a"}, {Type: "route", Id: "b"}}},
			[]string{"entities"}},
		{"negative paging", &pb.ListActivityLogEntriesRequest{Offset: proto.Int64(-1), Limit: proto.Int64(-5)}, []string{"offset", "limit"}},
	}
	for _, tc := range tests {
		_, err := admin.ListActivityLogEntries(ctx, tc.req)
		t.Run(tc.name, func(t *testing.T) { expectCode(t, err, codes.InvalidArgument, tc.texts...) })
	}

	_, err := admin.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{NamespaceId: proto.String("ghost")})
	expectCode(t, err, codes.NotFound, `"ghost"`)
	_, err = admin.GetActivityLogEntry(ctx, &pb.GetActivityLogEntryRequest{Id: "ghost"})
	expectCode(t, err, codes.NotFound, `"ghost"`)
	_, err = nobody.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{})
	expectCode(t, err, codes.PermissionDenied, "Global")

	// A viewer of Team sees Team's entries, not Global's.
	list, err := vera.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{NamespaceId: proto.String(team), RecurseNamespace: proto.Bool(true)})
	if err != nil || list.GetTotalCount() != 0 {
		t.Fatalf("Team's log = %v, %v", list, err)
	}
	_, err = vera.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{})
	expectCode(t, err, codes.PermissionDenied)
	entries, err := admin.ListActivityLogEntries(ctx, &pb.ListActivityLogEntriesRequest{EntityId: proto.String(id)})
	if err != nil || len(entries.GetEntries()) == 0 {
		t.Fatalf("admin entries: %v, %v", entries, err)
	}
	_, err = vera.GetActivityLogEntry(ctx, &pb.GetActivityLogEntryRequest{Id: entries.GetEntries()[0].GetId()})
	expectCode(t, err, codes.PermissionDenied, "Global")
}
