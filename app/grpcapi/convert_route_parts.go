package grpcapi

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// duration reads an optional Duration as the console's text ("" when
// unset); the console keeps whole milliseconds.
func (c *convChecker) duration(field string, d *durationpb.Duration) string {
	if d == nil {
		return ""
	}
	if err := d.CheckValid(); err != nil {
		c.fail(field, "is not a valid duration: %v", err)
		return ""
	}
	text, err := duration.Format(d.AsDuration())
	if err != nil {
		c.fail(field, "%s (got %s)", err.Error(), d.AsDuration())
		return ""
	}
	return text
}

// durationOut is a stored duration as a message; nil when unset. Stored
// text was validated on the way in.
func durationOut(text string) *durationpb.Duration {
	if text == "" {
		return nil
	}
	d, err := duration.Parse(text)
	if err != nil {
		return nil
	}
	return durationpb.New(d)
}

// Enumerations: the message's numbers to the console's names.
var (
	issuerFormats = map[pb.IssuerFormat]string{
		pb.IssuerFormat_IssuerHostOnly: "hostOnly",
		pb.IssuerFormat_IssuerURI:      "uri",
	}
	lbPolicies = map[pb.LoadBalancingPolicy]string{
		pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_UNSPECIFIED:   "",
		pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_ROUND_ROBIN:   "round_robin",
		pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_MAGLEV:        "maglev",
		pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_RANDOM:        "random",
		pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_RING_HASH:     "ring_hash",
		pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_LEAST_REQUEST: "least_request",
	}
	// Zero is Envoy's default, 301, which the console stores as 0.
	redirectCodes = map[pb.RedirectAction_RedirectResponseCode]int32{
		pb.RedirectAction_MOVED_PERMANENTLY:  0,
		pb.RedirectAction_FOUND:              302,
		pb.RedirectAction_SEE_OTHER:          303,
		pb.RedirectAction_TEMPORARY_REDIRECT: 307,
		pb.RedirectAction_PERMANENT_REDIRECT: 308,
	}
	// HTTP1 is the default, which the console stores as "".
	codecTypes = map[pb.CodecClientType]string{
		pb.CodecClientType_HTTP1: "",
		pb.CodecClientType_HTTP2: "http2",
		pb.CodecClientType_HTTP3: "http3",
	}
)

// enumIn looks v up in names, refusing a value the console has no
// counterpart for (numbers the enum does not define never get here).
func enumIn[E ~int32](c *convChecker, field string, v E, names map[E]string) string {
	name, ok := names[v]
	if !ok {
		c.fail(field, "value %d is not supported", int32(v))
	}
	return name
}

// enumOut finds the number of name in names; ok is false for a name the
// enum does not have.
func enumOut[E ~int32, V comparable](names map[E]V, name V) (E, bool) {
	for e, n := range names {
		if n == name {
			return e, true
		}
	}
	return 0, false
}

func issuerFormatIn(c *convChecker, v *pb.IssuerFormat) string {
	if v == nil {
		return ""
	}
	return enumIn(c, "jwt_issuer_format", *v, issuerFormats)
}

func issuerFormatOut(name string) *pb.IssuerFormat {
	if e, ok := enumOut(issuerFormats, name); ok && name != "" {
		return &e
	}
	return nil
}

func lbPolicyIn(c *convChecker, v *pb.LoadBalancingPolicy) string {
	if v == nil {
		return ""
	}
	return enumIn(c, "load_balancing_policy", *v, lbPolicies)
}

func lbPolicyOut(name string) *pb.LoadBalancingPolicy {
	if e, ok := enumOut(lbPolicies, name); ok && name != "" {
		return &e
	}
	return nil
}

// redirectIn converts a redirect action; nil stays nil.
func redirectIn(c *convChecker, m *pb.RedirectAction) *db.RouteRedirect {
	if m == nil {
		return nil
	}
	rd := &db.RouteRedirect{
		HTTPSRedirect: m.GetHttpsRedirect(), SchemeRedirect: m.GetSchemeRedirect(), HostRedirect: m.GetHostRedirect(),
		PortRedirect: m.GetPortRedirect(), PathRedirect: m.GetPathRedirect(), PrefixRewrite: m.GetPrefixRewrite(),
		StripQuery: m.GetStripQuery(),
	}
	code, ok := redirectCodes[m.GetResponseCode()]
	if !ok {
		c.fail("redirect.response_code", "value %d is not supported", int32(m.GetResponseCode()))
	}
	rd.ResponseCode = code
	return rd
}

// redirectOut converts a stored redirect back.
func redirectOut(rd *db.RouteRedirect) *pb.RedirectAction {
	if rd == nil {
		return nil
	}
	m := &pb.RedirectAction{HostRedirect: rd.HostRedirect, PortRedirect: rd.PortRedirect, StripQuery: rd.StripQuery}
	switch {
	case rd.HTTPSRedirect:
		m.SchemeRewriteSpecifier = &pb.RedirectAction_HttpsRedirect{HttpsRedirect: true}
	case rd.SchemeRedirect != "":
		m.SchemeRewriteSpecifier = &pb.RedirectAction_SchemeRedirect{SchemeRedirect: rd.SchemeRedirect}
	}
	switch {
	case rd.PathRedirect != "":
		m.PathRewriteSpecifier = &pb.RedirectAction_PathRedirect{PathRedirect: rd.PathRedirect}
	case rd.PrefixRewrite != "":
		m.PathRewriteSpecifier = &pb.RedirectAction_PrefixRewrite{PrefixRewrite: rd.PrefixRewrite}
	}
	code := rd.ResponseCode
	if code == 301 {
		code = 0
	}
	m.ResponseCode, _ = enumOut(redirectCodes, code)
	return m
}

// healthChecksIn converts the active health checks.
func healthChecksIn(c *convChecker, list []*pb.HealthCheck) []db.RouteHealthCheck {
	var out []db.RouteHealthCheck
	for i, m := range list {
		f := func(name string) string { return fmt.Sprintf("health_checks[%d].%s", i, name) }
		h := db.RouteHealthCheck{
			Timeout: c.duration(f("timeout"), m.GetTimeout()), Interval: c.duration(f("interval"), m.GetInterval()),
			InitialJitter: c.duration(f("initial_jitter"), m.GetInitialJitter()), IntervalJitter: c.duration(f("interval_jitter"), m.GetIntervalJitter()),
			IntervalJitterPercent: m.GetIntervalJitterPercent(), UnhealthyThreshold: m.GetUnhealthyThreshold(), HealthyThreshold: m.GetHealthyThreshold(),
		}
		switch {
		case m.GetHttpHealthCheck() != nil:
			hc := m.GetHttpHealthCheck()
			h.HTTP = &db.RouteHTTPHealthCheck{
				Host: hc.GetHost(), Path: hc.GetPath(), ExpectedStatuses: rangesIn(hc.GetExpectedStatuses()),
				RetriableStatuses: rangesIn(hc.GetRetriableStatuses()),
				CodecClientType:   enumIn(c, f("http_health_check.codec_client_type"), hc.GetCodecClientType(), codecTypes),
			}
		case m.GetTcpHealthCheck() != nil:
			tc := m.GetTcpHealthCheck()
			h.TCP = &db.RouteTCPHealthCheck{}
			if tc.GetSend() != nil {
				h.TCP.Send = payloadIn(tc.GetSend())
			}
			for _, p := range tc.GetReceive() {
				h.TCP.Receive = append(h.TCP.Receive, payloadIn(p))
			}
		case m.GetGrpcHealthCheck() != nil:
			gc := m.GetGrpcHealthCheck()
			h.GRPC = &db.RouteGRPCHealthCheck{ServiceName: gc.GetServiceName(), Authority: gc.GetAuthority()}
		}
		out = append(out, h)
	}
	return out
}

// payloadIn is a TCP health check payload as the console keeps it: hex
// text, which is what Envoy's text payload already is.
func payloadIn(p *pb.HealthCheck_Payload) string {
	if b := p.GetBinary(); b != nil {
		return hex.EncodeToString(b)
	}
	return p.GetText()
}

func rangesIn(list []*pb.Int64Range) []db.RouteStatusRange {
	var out []db.RouteStatusRange
	for _, r := range list {
		out = append(out, db.RouteStatusRange{Start: r.GetStart(), End: r.GetEnd()})
	}
	return out
}

func rangesOut(list []db.RouteStatusRange) []*pb.Int64Range {
	var out []*pb.Int64Range
	for _, r := range list {
		out = append(out, &pb.Int64Range{Start: r.Start, End: r.End})
	}
	return out
}

// healthChecksOut converts stored health checks back.
func healthChecksOut(list []db.RouteHealthCheck) []*pb.HealthCheck {
	var out []*pb.HealthCheck
	for _, h := range list {
		m := &pb.HealthCheck{
			Timeout: durationOut(h.Timeout), Interval: durationOut(h.Interval),
			InitialJitter: durationOut(h.InitialJitter), IntervalJitter: durationOut(h.IntervalJitter),
			IntervalJitterPercent: h.IntervalJitterPercent, UnhealthyThreshold: h.UnhealthyThreshold, HealthyThreshold: h.HealthyThreshold,
		}
		switch {
		case h.HTTP != nil:
			codec, _ := enumOut(codecTypes, h.HTTP.CodecClientType)
			if h.HTTP.CodecClientType == "http1" {
				codec = pb.CodecClientType_HTTP1
			}
			m.HealthChecker = &pb.HealthCheck_HttpHealthCheck_{HttpHealthCheck: &pb.HealthCheck_HttpHealthCheck{
				Host: h.HTTP.Host, Path: h.HTTP.Path, ExpectedStatuses: rangesOut(h.HTTP.ExpectedStatuses),
				RetriableStatuses: rangesOut(h.HTTP.RetriableStatuses), CodecClientType: codec,
			}}
		case h.TCP != nil:
			tc := &pb.HealthCheck_TcpHealthCheck{}
			if h.TCP.Send != "" {
				tc.Send = &pb.HealthCheck_Payload{Payload: &pb.HealthCheck_Payload_Text{Text: h.TCP.Send}}
			}
			for _, r := range h.TCP.Receive {
				tc.Receive = append(tc.Receive, &pb.HealthCheck_Payload{Payload: &pb.HealthCheck_Payload_Text{Text: r}})
			}
			m.HealthChecker = &pb.HealthCheck_TcpHealthCheck_{TcpHealthCheck: tc}
		case h.GRPC != nil:
			m.HealthChecker = &pb.HealthCheck_GrpcHealthCheck_{GrpcHealthCheck: &pb.HealthCheck_GrpcHealthCheck{
				ServiceName: h.GRPC.ServiceName, Authority: h.GRPC.Authority,
			}}
		}
		out = append(out, m)
	}
	return out
}
