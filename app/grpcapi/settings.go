package grpcapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterSettingsServiceServer(gs, &settingsAPI{d: d})
	})
}

// settingsAPI is SettingsService over the settings service.
type settingsAPI struct {
	pb.UnimplementedSettingsServiceServer
	d Deps
}

// GetSettings returns the settings of a cluster (the default one when
// cluster_id is unset), without secrets.
func (s *settingsAPI) GetSettings(ctx context.Context, req *pb.GetSettingsRequest) (*pb.GetSettingsResponse, error) {
	view, err := s.d.Settings.Get(ctx, access(ctx), clusterOrDefault(req.GetClusterId()))
	if err != nil {
		return nil, err
	}
	return &pb.GetSettingsResponse{Settings: settingsMessage(view)}, nil
}

// SetSettings replaces the settings of settings.cluster_id (or of the
// cluster settings.id names, or the default cluster) with the message;
// see settingsUpdate for secrets and unsupported fields.
func (s *settingsAPI) SetSettings(ctx context.Context, req *pb.SetSettingsRequest) (*pb.SetSettingsResponse, error) {
	acc := access(ctx)
	m := req.GetSettings()
	if m == nil {
		return nil, invalid("settings", "send the settings to store")
	}
	clusterID := m.GetClusterId()
	switch {
	case clusterID == "":
		clusterID = clusterOrDefault(m.GetId())
	case m.GetId() != "" && m.GetId() != clusterID:
		return nil, invalid("settings.id", "names cluster %q but cluster_id is %q; send one of them", m.GetId(), clusterID)
	}
	// The settings service checks this too; checking first keeps a caller
	// who may not change settings from learning about unsupported fields.
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return nil, err
	}
	cur, err := s.d.Settings.Get(ctx, acc, clusterID)
	if err != nil {
		return nil, err
	}
	u, err := settingsUpdate(m, cur)
	if err != nil {
		return nil, err
	}
	view, err := s.d.Settings.Update(ctx, acc, clusterID, u)
	if err != nil {
		return nil, renameFields(err, "settings", settingsNames)
	}
	return &pb.SetSettingsResponse{Settings: settingsMessage(view)}, nil
}

// GetBrandingSettings returns the branding fields of a cluster's settings
// to any signed-in caller, as the sign-in pages need them. The console has
// no branding settings, so only the ids are filled in.
func (s *settingsAPI) GetBrandingSettings(ctx context.Context, req *pb.GetSettingsRequest) (*pb.GetSettingsResponse, error) {
	id := clusterOrDefault(req.GetClusterId())
	if _, err := s.d.Store.GetCluster(ctx, id); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, errs.NotFound("cluster %q does not exist", id)
		}
		return nil, fmt.Errorf("grpcapi: cluster: %w", err)
	}
	return &pb.GetSettingsResponse{Settings: &pb.Settings{Id: id, ClusterId: &id}}, nil
}

// GetConsoleSettings tells clients how the console works: changes wait in
// changesets unless the default cluster applies them automatically. It has
// no feedback widget, remote diagnostics or installation id.
func (s *settingsAPI) GetConsoleSettings(ctx context.Context, _ *pb.GetConsoleSettingsRequest) (*pb.GetConsoleSettingsResponse, error) {
	auto, err := s.autoApply(ctx)
	if err != nil {
		return nil, err
	}
	return &pb.GetConsoleSettingsResponse{ConsoleSettings: &pb.ConsoleSettings{UseChangesets: !auto}}, nil
}

// autoApply reads autoApplyChangesets of the default cluster directly: any
// signed-in caller may learn it, while reading the settings needs a role
// on Global.
func (s *settingsAPI) autoApply(ctx context.Context) (bool, error) {
	row, err := s.d.Store.GetSettings(ctx, db.DefaultClusterID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("grpcapi: settings: %w", err)
	}
	var v settings.Values
	if err := json.Unmarshal([]byte(row.Values), &v); err != nil {
		return false, fmt.Errorf("grpcapi: decode settings: %w", err)
	}
	return v.AutoApplyChangesets != nil && *v.AutoApplyChangesets, nil
}

func clusterOrDefault(id string) string {
	if id == "" {
		return settings.DefaultClusterID
	}
	return id
}
