package configyaml

import (
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// healthChecks converts Envoy's health checks to the console's.
func (p *parser) healthChecks(key string, list []coreHealthCheck) []db.RouteHealthCheck {
	var out []db.RouteHealthCheck
	for i, h := range list {
		at := func(k string) string { return fmt.Sprintf("%s[%d].%s", key, i, k) }
		hc := db.RouteHealthCheck{
			Timeout: p.duration(at("timeout"), h.Timeout), Interval: p.duration(at("interval"), h.Interval),
			InitialJitter: p.duration(at("initial_jitter"), h.InitialJitter), IntervalJitter: p.duration(at("interval_jitter"), h.IntervalJitter),
			IntervalJitterPercent: h.IntervalJitterPercent, UnhealthyThreshold: h.UnhealthyThreshold, HealthyThreshold: h.HealthyThreshold,
		}
		if h.GRPC != nil {
			hc.GRPC = &db.RouteGRPCHealthCheck{ServiceName: h.GRPC.ServiceName, Authority: h.GRPC.Authority}
		}
		if h.TCP != nil {
			hc.TCP = &db.RouteTCPHealthCheck{Send: payloadText(h.TCP.Send)}
			for _, r := range h.TCP.Receive {
				hc.TCP.Receive = append(hc.TCP.Receive, r.Text)
			}
		}
		if c := h.HTTP; c != nil {
			hc.HTTP = &db.RouteHTTPHealthCheck{Host: c.Host, Path: c.Path,
				ExpectedStatuses: ranges(c.ExpectedStatuses), RetriableStatuses: ranges(c.RetriableStatuses)}
			switch codec := strings.ToLower(c.CodecClientType); codec {
			case "", "http1":
			case "http2", "http3":
				hc.HTTP.CodecClientType = codec
			default:
				p.failKey(at("http_health_check.codec_client_type"), "must be HTTP1, HTTP2 or HTTP3 (got %q)", c.CodecClientType)
			}
		}
		out = append(out, hc)
	}
	return out
}

func payloadText(pl *corePayload) string {
	if pl == nil {
		return ""
	}
	return pl.Text
}

func ranges(list []coreRange) []db.RouteStatusRange {
	var out []db.RouteStatusRange
	for _, r := range list {
		out = append(out, db.RouteStatusRange(r))
	}
	return out
}
