package render

import (
	"fmt"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// codecClientTypes maps the REST names to Envoy's enum.
var codecClientTypes = map[string]configpb.HealthCheck_CodecClientType{
	"":      configpb.HealthCheck_HTTP1,
	"http1": configpb.HealthCheck_HTTP1,
	"http2": configpb.HealthCheck_HTTP2,
	"http3": configpb.HealthCheck_HTTP3,
}

// healthChecksOf renders the route's active health checks in Envoy's shape.
func healthChecksOf(checks []db.RouteHealthCheck) ([]*configpb.HealthCheck, error) {
	var out []*configpb.HealthCheck
	for i, h := range checks {
		hc, err := healthCheckOf(h)
		if err != nil {
			return nil, fmt.Errorf("healthChecks.%d: %w", i, err)
		}
		out = append(out, hc)
	}
	return out, nil
}

func healthCheckOf(h db.RouteHealthCheck) (*configpb.HealthCheck, error) {
	hc := &configpb.HealthCheck{
		IntervalJitterPercent: h.IntervalJitterPercent,
		UnhealthyThreshold:    wrapperspb.UInt32(h.UnhealthyThreshold),
		HealthyThreshold:      wrapperspb.UInt32(h.HealthyThreshold),
	}
	for _, d := range []struct {
		field, value string
		dst          **durationpb.Duration
	}{
		{"timeout", h.Timeout, &hc.Timeout}, {"interval", h.Interval, &hc.Interval},
		{"initialJitter", h.InitialJitter, &hc.InitialJitter}, {"intervalJitter", h.IntervalJitter, &hc.IntervalJitter},
	} {
		v, err := durationOf(d.field, d.value)
		if err != nil {
			return nil, err
		}
		*d.dst = v
	}
	switch {
	case h.HTTP != nil:
		codec, ok := codecClientTypes[h.HTTP.CodecClientType]
		if !ok {
			return nil, fmt.Errorf("codecClientType %q is not http1, http2 or http3", h.HTTP.CodecClientType)
		}
		hc.HealthChecker = &configpb.HealthCheck_HttpHealthCheck_{HttpHealthCheck: &configpb.HealthCheck_HttpHealthCheck{
			Host: h.HTTP.Host, Path: h.HTTP.Path, CodecClientType: codec,
			ExpectedStatuses: rangesOf(h.HTTP.ExpectedStatuses), RetriableStatuses: rangesOf(h.HTTP.RetriableStatuses),
		}}
	case h.TCP != nil:
		tcp := &configpb.HealthCheck_TcpHealthCheck{Send: payloadOf(h.TCP.Send)}
		for _, p := range h.TCP.Receive {
			tcp.Receive = append(tcp.Receive, payloadOf(p))
		}
		hc.HealthChecker = &configpb.HealthCheck_TcpHealthCheck_{TcpHealthCheck: tcp}
	case h.GRPC != nil:
		hc.HealthChecker = &configpb.HealthCheck_GrpcHealthCheck_{GrpcHealthCheck: &configpb.HealthCheck_GrpcHealthCheck{
			ServiceName: h.GRPC.ServiceName, Authority: h.GRPC.Authority,
		}}
	default:
		return nil, fmt.Errorf("no HTTP, TCP or gRPC check is set")
	}
	return hc, nil
}

// rangesOf renders HTTP status ranges.
func rangesOf(list []db.RouteStatusRange) []*configpb.HealthCheck_Int64Range {
	var out []*configpb.HealthCheck_Int64Range
	for _, r := range list {
		out = append(out, &configpb.HealthCheck_Int64Range{Start: r.Start, End: r.End})
	}
	return out
}

// payloadOf renders a hex payload as Envoy's text payload (Envoy reads
// "text" as hex); "" is no payload.
func payloadOf(hex string) *configpb.HealthCheck_Payload {
	if hex == "" {
		return nil
	}
	return &configpb.HealthCheck_Payload{Payload: &configpb.HealthCheck_Payload_Text{Text: hex}}
}
