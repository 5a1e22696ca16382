package routes

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// checkHealthChecks applies Envoy's rules for active health checks: a
// timeout and an interval above zero, thresholds of at least one, exactly
// one kind with its own fields valid. Only upstreams can be checked.
func checkHealthChecks(c *checker, r db.Route) {
	checks := r.Spec.HealthChecks
	switch {
	case len(checks) > MaxHealthChecks:
		c.Add("healthChecks", errs.CodeTooLong, "must list at most %d checks (got %d)", MaxHealthChecks, len(checks))
		return
	case len(checks) > 0 && len(r.To) == 0:
		c.fail("healthChecks", "only a route with upstream URLs can check their health")
	}
	for i, h := range checks {
		f := func(name string) string { return fmt.Sprintf("healthChecks.%d.%s", i, name) }
		for _, d := range []struct {
			field, value string
			required     bool
		}{{"timeout", h.Timeout, true}, {"interval", h.Interval, true}, {"initialJitter", h.InitialJitter, false}, {"intervalJitter", h.IntervalJitter, false}} {
			switch {
			case d.value == "" && d.required:
				c.Add(f(d.field), errs.CodeRequired, "enter a duration, e.g. 5s")
			case d.value != "":
				checkDuration(c, f(d.field), d.value, d.required)
			}
		}
		if h.IntervalJitterPercent > 100 {
			c.fail(f("intervalJitterPercent"), "must be a percentage from 0 to 100")
		}
		for _, t := range []struct {
			field string
			value uint32
		}{{"unhealthyThreshold", h.UnhealthyThreshold}, {"healthyThreshold", h.HealthyThreshold}} {
			if t.value < 1 {
				c.fail(f(t.field), "must be at least 1")
			}
		}
		switch HealthKind(h) {
		case HealthHTTP:
			checkHTTPHealth(c, f, *h.HTTP)
		case HealthTCP:
			for j, p := range append([]string{h.TCP.Send}, h.TCP.Receive...) {
				field := f("tcpHealthCheck.send")
				if j > 0 {
					field = f("tcpHealthCheck.receive")
				}
				if p != "" {
					c.check(field, hexProblem(p))
				}
			}
		case HealthGRPC:
			c.check(f("grpcHealthCheck.authority"), headerValueProblem(h.GRPC.Authority))
			c.check(f("grpcHealthCheck.serviceName"), headerValueProblem(h.GRPC.ServiceName))
		default:
			c.Add(f("kind"), errs.CodeRequired, "choose HTTP, TCP or gRPC")
		}
	}
}

// checkHTTPHealth checks an HTTP health check's request and statuses.
func checkHTTPHealth(c *checker, f func(string) string, h db.RouteHTTPHealthCheck) {
	switch {
	case h.Path == "":
		c.Add(f("httpHealthCheck.path"), errs.CodeRequired, "enter the path to request, e.g. /healthz")
	case h.Path[0] != '/':
		c.fail(f("httpHealthCheck.path"), "must start with /")
	default:
		c.check(f("httpHealthCheck.path"), headerValueProblem(h.Path))
	}
	if h.Host != "" {
		c.check(f("httpHealthCheck.host"), hostProblem(h.Host, true, false))
	}
	for _, s := range []struct {
		field  string
		ranges []db.RouteStatusRange
	}{{"httpHealthCheck.expectedStatuses", h.ExpectedStatuses}, {"httpHealthCheck.retriableStatuses", h.RetriableStatuses}} {
		for _, rg := range s.ranges {
			if rg.Start < 100 || rg.End > 600 || rg.Start >= rg.End {
				c.fail(f(s.field), "%d-%d is not a range of HTTP statuses: from 100 up to 600, the end not included and after the start", rg.Start, rg.End)
			}
		}
	}
	if h.CodecClientType != "" && !slices.Contains(CodecClientTypes, h.CodecClientType) {
		c.fail(f("httpHealthCheck.codecClientType"), "must be http1, http2 or http3")
	}
}

// sortedKeys lists m's keys in order, so messages come out the same every time.
func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
