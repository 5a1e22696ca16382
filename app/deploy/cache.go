package deploy

import (
	"sync"

	"github.com/pomerium-console-oss/pomerium-console/app/render"
)

// snapshotsKept bounds how many decoded deployment models stay in memory:
// the baselines of a few clusters and the pair being compared.
const snapshotsKept = 8

// modelCache keeps what is costly to compute with many routes: the
// current model of each cluster at a configuration revision, the pending
// changes against a baseline, and decoded deployment snapshots. Entries
// are keyed by what they were computed from, so they are never stale.
type modelCache struct {
	mu        sync.Mutex
	models    map[string]cachedModel // cluster id →
	pending   map[string]cachedPending
	snapshots map[string]render.Model // deployment id →
	order     []string                // snapshot ids, oldest first
}

type cachedModel struct {
	revision int64
	model    render.Model
}

type cachedPending struct {
	revision   int64
	baselineID string
	changes    []Change
}

func newModelCache() *modelCache {
	return &modelCache{models: map[string]cachedModel{}, pending: map[string]cachedPending{}, snapshots: map[string]render.Model{}}
}

func (c *modelCache) model(clusterID string, revision int64) (render.Model, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.models[clusterID]
	return m.model, ok && m.revision == revision
}

func (c *modelCache) putModel(clusterID string, revision int64, m render.Model) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.models[clusterID] = cachedModel{revision: revision, model: m}
}

func (c *modelCache) changes(clusterID string, revision int64, baselineID string) ([]Change, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pending[clusterID]
	return p.changes, ok && p.revision == revision && p.baselineID == baselineID
}

func (c *modelCache) putChanges(clusterID string, revision int64, baselineID string, changes []Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[clusterID] = cachedPending{revision: revision, baselineID: baselineID, changes: changes}
}

func (c *modelCache) snapshot(deploymentID string) (render.Model, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.snapshots[deploymentID]
	return m, ok
}

func (c *modelCache) putSnapshot(deploymentID string, m render.Model) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.snapshots[deploymentID]; ok {
		return
	}
	c.snapshots[deploymentID] = m
	c.order = append(c.order, deploymentID)
	if len(c.order) > snapshotsKept {
		delete(c.snapshots, c.order[0])
		c.order = c.order[1:]
	}
}
