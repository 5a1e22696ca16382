package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduler owns the cron runner and the context every job runs under.
type Scheduler struct {
	cron   *cron.Cron
	logger *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns a stopped scheduler.
func New(logger *slog.Logger) *Scheduler {
	ctx, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		// SkipIfStillRunning: a slow run must not pile up behind itself.
		cron:   cron.New(cron.WithChain(cron.Recover(cron.DiscardLogger), cron.SkipIfStillRunning(cron.DiscardLogger))),
		logger: logger,
		ctx:    ctx,
		cancel: cancel,
	}
}

// Register adds job id on the cron spec (e.g. "@every 1h"). A bad spec is a
// programming error, so it panics at start-up.
func (s *Scheduler) Register(id, spec string, run func(ctx context.Context) error) {
	_, err := s.cron.AddFunc(spec, func() {
		start := time.Now()
		err := run(s.ctx)
		log := s.logger.With("job", id, "duration_ms", time.Since(start).Milliseconds())
		if err != nil {
			log.Error("job failed", "error", err)
			return
		}
		log.Debug("job done")
	})
	if err != nil {
		panic("jobs: register " + id + ": " + err.Error())
	}
}

// Start begins running jobs in the background.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop cancels running jobs and waits for them to return.
func (s *Scheduler) Stop() {
	s.cancel()
	<-s.cron.Stop().Done()
}
