package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterActivityLogServiceServer(gs, &activityAPI{d: d})
	})
}

// activityAPI is ActivityLogService over the activity reader.
type activityAPI struct {
	pb.UnimplementedActivityLogServiceServer
	d Deps
}

// maxActivityLimit is the largest page the store returns.
const maxActivityLimit = 500

// activityTypes are the activity_type values the log holds.
var activityTypes = []string{db.ActivityCreate, db.ActivityUpdate, db.ActivityDelete}

// ListActivityLogEntries returns a page of the log, newest first, as seen
// from namespace_id (Global, with every namespace below it, when unset).
func (s *activityAPI) ListActivityLogEntries(ctx context.Context, req *pb.ListActivityLogEntriesRequest) (*pb.ListActivityLogEntriesResponse, error) {
	acc := access(ctx)
	q, err := activityQuery(req)
	if err != nil {
		return nil, err
	}
	if _, ok := acc.Tree().Get(q.NamespaceID); !ok {
		return nil, errs.NotFound("namespace %q does not exist", q.NamespaceID)
	}
	page, err := s.d.Activity.List(ctx, acc, q)
	if err != nil {
		return nil, err
	}
	coverage, err := s.coverage(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := &pb.ListActivityLogEntriesResponse{TotalCount: int64(page.Total)}
	for _, e := range page.Entries {
		out.Entries = append(out.Entries, activityMessage(e, coverage))
	}
	return out, nil
}

// activityQuery reads the request's filters. The log cannot search text,
// filter by date or by configuration version, or sort other than newest
// first: those filters are refused rather than ignored, so a client never
// mistakes an unfiltered page for a filtered one.
func activityQuery(req *pb.ListActivityLogEntriesRequest) (activity.Query, error) {
	var v errs.Validator
	q := activity.Query{
		NamespaceID: db.GlobalNamespaceID, IncludeDescendants: true,
		ActivityType: req.GetActivityType(), EntityType: req.GetEntityType(), EntityID: req.GetEntityId(),
		UserID: req.GetUserId(), Offset: int(req.GetOffset()), Limit: int(min(req.GetLimit(), maxActivityLimit)),
	}
	if req.NamespaceId != nil {
		q.NamespaceID, q.IncludeDescendants = req.GetNamespaceId(), false
	}
	if req.RecurseNamespace != nil {
		q.IncludeDescendants = req.GetRecurseNamespace()
	}
	if q.ActivityType != "" && !slices.Contains(activityTypes, q.ActivityType) {
		v.Add("activity_type", errs.CodeInvalid, "must be one of %s", strings.Join(activityTypes, ", "))
	}
	switch len(req.GetEntities()) {
	case 0:
	case 1:
		e := req.GetEntities()[0]
		if (q.EntityType != "" && q.EntityType != e.GetType()) || (q.EntityID != "" && q.EntityID != e.GetId()) {
			v.Add("entities", errs.CodeInvalid, "names another entity than entity_type and entity_id; send one of the two")
		}
		q.EntityType, q.EntityID = e.GetType(), e.GetId()
	default:
		v.Add("entities", errs.CodeInvalid, "only one entity can be filtered on")
	}
	if q.EntityType != "" && !slices.Contains(activity.EntityTypes, q.EntityType) && !v.Has("entities") {
		v.Add("entity_type", errs.CodeInvalid, "must be one of %s", strings.Join(activity.EntityTypes, ", "))
	}
	if req.GetOffset() < 0 {
		v.Add("offset", errs.CodeInvalid, "must not be negative")
	}
	if req.GetLimit() < 0 {
		v.Add("limit", errs.CodeInvalid, "must not be negative")
	}
	unsupportedActivityFilters(&v, req)
	return q, v.Err()
}

// unsupportedActivityFilters refuses the filters the log cannot apply.
func unsupportedActivityFilters(v *errs.Validator, req *pb.ListActivityLogEntriesRequest) {
	const unsupported = "is not supported by this console"
	if req.GetQuery() != "" {
		v.Add("query", errs.CodeInvalid, "%s: filter on entity_type, entity_id, user_id or activity_type instead", unsupported)
	}
	if len(req.GetDbVersions()) > 0 {
		v.Add("db_versions", errs.CodeInvalid, "%s", unsupported)
	}
	if d := req.GetDateFilter(); d.GetOperator() != "" || d.GetDate() != nil {
		v.Add("date_filter", errs.CodeInvalid, "%s", unsupported)
	}
	if f := req.GetStringFilter(); f.GetFieldName() != "" || f.GetOperator() != "" || f.GetValue() != "" {
		v.Add("string_filter", errs.CodeInvalid, "%s", unsupported)
	}
	// Newest first is the one order there is, so asking for it is fine.
	if col := req.GetSort().GetColumn(); col != "" && col != "created_at" && col != "createdAt" {
		v.Add("sort.column", errs.CodeInvalid, "entries are only sorted by created_at")
	}
	if dir := req.GetSort().GetDirection(); dir != "" && !strings.EqualFold(dir, "desc") {
		v.Add("sort.direction", errs.CodeInvalid, "entries are only sorted newest first (desc)")
	}
}

// coverage tells which cluster serves each namespace of the caller's tree.
func (s *activityAPI) coverage(ctx context.Context, acc *rbac.Access) (clusters.Coverage, error) {
	list, err := s.d.Store.ListClusters(ctx)
	if err != nil {
		return clusters.Coverage{}, fmt.Errorf("grpcapi: clusters: %w", err)
	}
	return clusters.NewCoverage(acc.Tree(), list), nil
}

// GetActivityLogEntry returns one entry with the ids of the entries just
// before and after it in the history of the same entity (older and newer),
// among those the caller may view.
func (s *activityAPI) GetActivityLogEntry(ctx context.Context, req *pb.GetActivityLogEntryRequest) (*pb.GetActivityLogEntryResponse, error) {
	acc := access(ctx)
	if req.GetId() == "" {
		return nil, invalid("id", "enter the activity log entry id")
	}
	e, err := s.d.Activity.Get(ctx, acc, req.GetId())
	if errors.Is(err, db.ErrNotFound) {
		return nil, errs.NotFound("activity log entry %q does not exist", req.GetId())
	}
	if err != nil {
		return nil, err
	}
	coverage, err := s.coverage(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := &pb.GetActivityLogEntryResponse{Entry: activityMessage(e, coverage)}
	if out.PreviousEntryId, out.NextEntryId, err = s.neighbours(ctx, acc, e); err != nil {
		return nil, err
	}
	return out, nil
}

// neighbours finds the entries of e's entity just older and just newer
// than e; nil when there is none.
func (s *activityAPI) neighbours(ctx context.Context, acc *rbac.Access, e db.ActivityEntry) (prev, next *string, err error) {
	var history []db.ActivityEntry // newest first, as the store lists them
	err = readPages(func(offset int) (int, int, error) {
		list, total, err := s.d.Store.ListActivity(ctx, db.ActivityFilter{
			EntityType: e.EntityType, EntityID: e.EntityID, Offset: offset, Limit: maxActivityLimit,
		})
		for _, h := range list {
			if canViewEntry(acc, h) {
				history = append(history, h)
			}
		}
		return len(list), total, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("grpcapi: entity history: %w", err)
	}
	i := slices.IndexFunc(history, func(h db.ActivityEntry) bool { return h.ID == e.ID })
	if i < 0 {
		return nil, nil, nil
	}
	if i+1 < len(history) {
		prev = &history[i+1].ID
	}
	if i > 0 {
		next = &history[i-1].ID
	}
	return prev, next, nil
}

// canViewEntry applies the reader's rule: viewers of an entry's namespace
// see it, and entries of a deleted namespace belong to Global's viewers.
func canViewEntry(acc *rbac.Access, e db.ActivityEntry) bool {
	nsID := e.NamespaceID
	if _, ok := acc.Tree().Get(nsID); !ok {
		nsID = db.GlobalNamespaceID
	}
	return acc.Role(nsID) >= rbac.RoleViewer
}

// ListEntityTypes lists the entity types the log records.
func (s *activityAPI) ListEntityTypes(context.Context, *pb.ListEntityTypesRequest) (*pb.ListEntityTypesResponse, error) {
	return &pb.ListEntityTypesResponse{EntityTypes: slices.Clone(activity.EntityTypes)}, nil
}
