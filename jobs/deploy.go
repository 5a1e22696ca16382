package jobs

import "context"

// DeployRetryInterval is how often the retry job looks for pushes that are
// due; the back-off of each cluster decides whether one actually runs.
const DeployRetryInterval = "@every 5s"

// PushRetrier is the slice of the deploy service the retry job calls.
type PushRetrier interface {
	RunRetries(ctx context.Context) error
}

// RegisterDeployRetries retries failed pushes to the clusters' databrokers
// with back-off until they succeed, and re-checks pushed configuration so a
// databroker that lost its records gets them back.
func RegisterDeployRetries(s *Scheduler, d PushRetrier) {
	s.Register("deploy-retries", DeployRetryInterval, d.RunRetries)
}
