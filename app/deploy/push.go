package deploy

import (
	"context"
	"errors"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// RecordID is the id of the one record the console writes in a cluster's
// databroker; it differs from the ingress controller's ids
// ("ingress-controller", "pomerium-crd", "gateway-controller").
const RecordID = "pomerium-console"

// configType is the record type Core reads whole Configs from.
var configType = databroker.TypeURL(&configpb.Config{})

// pushResult is what a successful push learned.
type pushResult struct {
	// Unchanged is true when the databroker already held an equal Config,
	// so nothing was written.
	Unchanged     bool
	RecordVersion uint64
	ServerVersion string
}

// pusher keeps one databroker client per cluster and redials when the
// cluster's connection settings change.
type pusher struct {
	timeout time.Duration
	secret  func(db.Cluster) (string, error)

	mu      sync.Mutex
	clients map[string]cachedClient
}

// cachedClient is a client with the cluster it was dialled for.
type cachedClient struct {
	dialled db.Cluster
	client  *databroker.Client
}

// client returns the client of c, dialling it when its settings changed.
func (p *pusher) client(ctx context.Context, c db.Cluster) (*databroker.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cached, ok := p.clients[c.ID]; ok {
		if clusters.SameConnection(cached.dialled, c) {
			return cached.client, nil
		}
		_ = cached.client.Close()
		delete(p.clients, c.ID)
	}
	secret, err := p.secret(c)
	if err != nil {
		return nil, err
	}
	client, err := databroker.Dial(ctx, databroker.Options{
		URL: c.DatabrokerURL, SharedSecret: secret, CAPEM: []byte(c.CAPEM),
		OverrideName: c.OverrideName, InsecureSkipVerify: c.InsecureSkipVerify,
	})
	if err != nil {
		return nil, err
	}
	p.clients[c.ID] = cachedClient{dialled: c, client: client}
	return client, nil
}

// push writes cfg as the console's record in c's databroker, unless the
// record already holds an equal Config.
func (p *pusher) push(ctx context.Context, c db.Cluster, cfg *configpb.Config) (pushResult, error) {
	client, err := p.client(ctx, c)
	if err != nil {
		return pushResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	var res pushResult
	rec, err := client.Get(ctx, configType, RecordID)
	switch {
	case errors.Is(err, databroker.ErrNotFound):
	case err != nil:
		return pushResult{}, err
	default:
		held := &configpb.Config{}
		if rec.GetData().UnmarshalTo(held) == nil && proto.Equal(held, cfg) {
			res.Unchanged, res.RecordVersion = true, rec.GetVersion()
		}
	}
	if !res.Unchanged {
		stored, err := client.PutMessage(ctx, RecordID, cfg)
		if err != nil {
			return pushResult{}, err
		}
		res.RecordVersion = stored.GetVersion()
	}
	// The version is a nicety for the cluster page: failing to read it
	// does not fail a push that went through.
	if info, err := client.ServerInfo(ctx); err == nil {
		res.ServerVersion = describeServer(info)
	}
	return res, nil
}

// withdraw removes the console's record from c's databroker.
func (p *pusher) withdraw(ctx context.Context, c db.Cluster) error {
	client, err := p.client(ctx, c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	return client.DeleteMessage(ctx, configType, RecordID)
}

// close releases every client.
func (p *pusher) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, cached := range p.clients {
		_ = cached.client.Close()
		delete(p.clients, id)
	}
}

// describeServer words a databroker's ServerInfo for the cluster page:
// which Pomerium releases it can be (its storage version means nothing to
// an admin).
func describeServer(info databroker.Info) string {
	return "Pomerium " + info.Core
}

// Databroker returns the (cached) client of cluster c's databroker, for the
// runtime records (service accounts, sessions, devices) that live there
// rather than in the pushed Config. It fails with errs.ErrUnavailable when
// the cluster has no databroker configured.
func (s *Service) Databroker(ctx context.Context, c db.Cluster) (*databroker.Client, error) {
	if c.DatabrokerURL == "" {
		return nil, errs.Unavailable("cluster %q has no databroker configured: set its databroker service URL first", c.Name)
	}
	return s.pusher.client(ctx, c)
}
