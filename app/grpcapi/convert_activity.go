package grpcapi

import (
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// activityMessage is the ActivityLogEntry of e. coverage tells which
// cluster served the entry's namespace; entries about a cluster or its
// settings name that cluster instead.
func activityMessage(e db.ActivityEntry, coverage clusters.Coverage) *pb.ActivityLogEntry {
	m := &pb.ActivityLogEntry{
		Id: e.ID, Name: e.EntityName, ActivityType: e.ActivityType, CreatedAt: pbTime(e.CreatedAt),
		NamespaceId: e.NamespaceID, NamespaceName: e.NamespaceName,
		UserId: e.UserID, UserName: e.UserName, UserEmail: e.UserEmail,
		EntityType: e.EntityType, EntityId: e.EntityID, EntityData: e.After,
		DbVersion: uint64(max(e.ConfigRevision, 0)), ServiceAccountId: e.ServiceAccountID,
	}
	if e.ActivityType == db.ActivityDelete || m.EntityData == "" {
		m.EntityData = e.Before
	}
	d := diffSummary(e)
	m.DiffSummary = &pb.ActivityLogEntry_DiffSummary{Added: int64(d.Added), Removed: int64(d.Removed)}
	switch e.EntityType {
	case activity.EntityCluster, activity.EntitySettings:
		id := e.EntityID
		m.ClusterId = &id
	default:
		if cl, ok := coverage.ClusterOf(e.NamespaceID); ok {
			id := cl.ID
			m.ClusterId = &id
		}
	}
	return m
}

// diffSummary counts the lines added and removed between the entity's
// JSON before and after the change, as a unified diff of the two would.
func diffSummary(e db.ActivityEntry) deploy.TextDiff {
	before, after := e.Before, e.After
	if before == after {
		return deploy.TextDiff{}
	}
	// A side that is absent (a create or a delete) counts every line of
	// the other without running the diff.
	if before == "" {
		return deploy.TextDiff{Added: lineCount(after)}
	}
	if after == "" {
		return deploy.TextDiff{Removed: lineCount(before)}
	}
	return deploy.DiffText(before, after)
}

func lineCount(s string) int {
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}
