package jobs

import "context"

// ServiceAccountSyncInterval is how often the sync job looks for service
// account records owed to a databroker; each account's back-off decides
// whether it is pushed on a run.
const ServiceAccountSyncInterval = "@every 5s"

// ServiceAccountSyncer is the slice of the service accounts service the
// sync job calls.
type ServiceAccountSyncer interface {
	Sync(ctx context.Context) error
}

// RegisterServiceAccountSync retries failed pushes of service account
// records (and revocation tombstones) with back-off until they land, and
// puts back records a restarted databroker lost.
func RegisterServiceAccountSync(s *Scheduler, sa ServiceAccountSyncer) {
	s.Register("service-account-sync", ServiceAccountSyncInterval, sa.Sync)
}
