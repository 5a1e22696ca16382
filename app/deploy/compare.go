package deploy

import (
	"context"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Exporter writes a Config as Pomerium Core's config.yaml
// (configyaml.Export).
type Exporter func(cfg *configpb.Config) ([]byte, error)

// Comparison is compareChangesets: two snapshots of one cluster, the
// entities that differ between them, and the line diff of their rendered
// config.yaml with every secret replaced by a fingerprint.
type Comparison struct {
	Cluster db.Cluster
	// From and To are the compared deployments; a zero To is the open
	// changeset (the cluster's current model).
	From    db.Deployment
	To      db.Deployment
	Changes []Change
	Diff    TextDiff
}

// Compare compares deployment fromID with deployment toID, or with the
// open changeset when toID is PendingID, for viewers of their cluster.
func (s *Service) Compare(ctx context.Context, acc *rbac.Access, fromID, toID string) (Comparison, error) {
	from, c, err := s.deployment(ctx, acc, fromID, rbac.RoleViewer)
	if err != nil {
		return Comparison{}, err
	}
	var to db.Deployment
	if toID != PendingID {
		if to, _, err = s.deployment(ctx, acc, toID, rbac.RoleViewer); err != nil {
			return Comparison{}, err
		}
		if to.ClusterID != from.ClusterID {
			return Comparison{}, errs.Field("secondId", errs.CodeInvalid, "deployments of two clusters cannot be compared")
		}
	}
	out := Comparison{Cluster: c, From: from, To: to}
	texts := [2]string{}
	models := [2]render.Model{}
	for i, d := range []db.Deployment{from, to} {
		if models[i], err = s.modelOf(ctx, c, d); err != nil {
			return Comparison{}, err
		}
		if texts[i], err = s.textOf(d, models[i]); err != nil {
			return Comparison{}, err
		}
	}
	out.Changes = Diff(models[0], models[1])
	out.Diff = DiffText(texts[0], texts[1])
	out.From.Model, out.From.Config, out.From.YAML = "", "", ""
	out.To.Model, out.To.Config, out.To.YAML = "", "", ""
	return out, nil
}

// textOf is the redacted config.yaml of deployment d as stored at apply,
// or rendered from m for the open changeset or a discarded one.
func (s *Service) textOf(d db.Deployment, m render.Model) (string, error) {
	if d.YAML != "" {
		b, err := unpack(d.YAML)
		if err != nil {
			return "", fmt.Errorf("deploy: stored config.yaml of #%d: %w", d.Number, err)
		}
		return string(b), nil
	}
	cfg, err := s.configOf(d, m)
	if err != nil {
		return "", err
	}
	b, err := s.export(redact(cfg, s.redactKey))
	return string(b), err
}

// redactedYAML is cfg as config.yaml with its secrets redacted, packed
// for storage.
func (s *Service) redactedYAML(cfg *configpb.Config) (string, error) {
	b, err := s.export(redact(cfg, s.redactKey))
	if err != nil {
		return "", err
	}
	packed, err := pack(b)
	if err != nil {
		return "", fmt.Errorf("deploy: pack config.yaml: %w", err)
	}
	return packed, nil
}

// configOf returns the Config deployment d pushed, or renders m for the
// open changeset (a zero d).
func (s *Service) configOf(d db.Deployment, m render.Model) (*configpb.Config, error) {
	if d.ID != "" && d.Config != "" {
		return openConfig(s.sealer, d.ID, d.Config)
	}
	cfg, err := render.Render(m, s.sealer)
	if err != nil {
		return nil, errs.Conflict("the configuration cannot be rendered: %v", err)
	}
	return cfg, nil
}

// Config returns the Config deployment id pushed (for a discarded
// changeset, what it would have pushed), secrets included, for a
// config.yaml download. Only admins of its cluster's namespace get it.
func (s *Service) Config(ctx context.Context, acc *rbac.Access, id string) (*configpb.Config, db.Deployment, error) {
	d, c, err := s.deployment(ctx, acc, id, rbac.RoleAdmin)
	if err != nil {
		return nil, db.Deployment{}, err
	}
	m, err := s.modelOf(ctx, c, d)
	if err != nil {
		return nil, db.Deployment{}, err
	}
	cfg, err := s.configOf(d, m)
	d.Model, d.Config, d.YAML = "", "", ""
	return cfg, d, err
}

// export writes cfg as config.yaml.
func (s *Service) export(cfg *configpb.Config) ([]byte, error) {
	b, err := s.exporter(cfg)
	if err != nil {
		return nil, fmt.Errorf("deploy: export config.yaml: %w", err)
	}
	return b, nil
}
