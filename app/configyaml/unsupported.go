package configyaml

// Why keys Core knows are not imported, grouped by reason.
const (
	reasonDeployment = "it belongs to how this Pomerium host is deployed (its listeners, secrets and services), " +
		"which the console never pushes: keep it in Pomerium's own configuration"
	reasonSettings  = "the console's global settings do not include it: keep it in Pomerium's own configuration"
	reasonRoute     = "the console's routes do not have this setting, so it would be lost: set it by hand after the import if Core needs it"
	reasonFiles     = "it names a file on the Pomerium host, which an upload cannot read: put the content inline (base64) instead"
	reasonOtel      = "the console sets only the tracing sample rate; keep the OTEL_* exporter settings in Pomerium's environment"
	reasonMTLS      = "the console manages only the downstream mTLS certificate authority"
	reasonHealth    = "the console's health checks do not have this setting, so it would be lost"
	reasonAllowedGr = "Core removed allowed_groups: write a groups criterion in the route's policy instead"
)

// unsupportedSettings are the top-level keys of Core's options that the
// console does not import.
var unsupportedSettings = func() map[string]string {
	m := map[string]string{}
	for reason, keys := range map[string][]string{
		reasonDeployment: {
			"shared_secret", "shared_secret_file", "services", "insecure_server", "grpc_address", "grpc_insecure",
			"grpc_client_timeout", "databroker_service_url", "databroker_service_urls", "databroker_internal_service_url",
			"databroker_raft_bind_address", "databroker_cluster_leader_id", "databroker_cluster_node_id", "databroker_cluster_nodes",
			"authorize_service_url", "authorize_service_urls", "authorize_internal_service_url", "authenticate_internal_service_url",
			"signing_key", "signing_key_file", "autocert", "autocert_dir", "autocert_use_staging", "autocert_must_staple",
			"autocert_email", "autocert_ca", "autocert_eab_key_id", "autocert_eab_mac_key", "autocert_trusted_ca",
			"envoy_admin_access_log_path", "envoy_admin_profile_path", "envoy_admin_address", "envoy_bind_config_source_address",
			"envoy_bind_config_freebind", "debug_address", "health_check_addr", "health_check_systemd_disabled",
			"installation_id", "use_proxy_protocol", "tls_derive", "override_certificate_name", "http3_advertise_port",
			"ssh_address", "ssh_host_key_files", "ssh_host_keys", "ssh_user_ca_key_file", "ssh_user_ca_key", "ssh_rls_enabled",
			"ssh_rls_additional_entries", "metrics_basic_auth", "metrics_certificate", "metrics_certificate_key",
			"metrics_certificate_file", "metrics_certificate_key_file", "metrics_client_ca", "metrics_client_ca_file",
		},
		reasonSettings: {
			"signout_redirect_url", "xff_num_trusted_hops", "programmatic_redirect_domain_whitelist", "codec_type",
			"primary_color", "secondary_color", "darkmode_primary_color", "darkmode_secondary_color", "logo_url", "favicon_url",
			"error_message_first_paragraph", "runtime_flags", "circuit_breaker_thresholds", "mcp_allowed_client_id_domains",
			"mcp_allowed_as_metadata_domains", "jwt_issuer_format", "jwt_groups_filter", "jwt_groups_filter_infer_from_ppl",
			"bearer_token_format", "idp_access_token_allowed_audiences", "identity_providers", "dns_failure_refresh_rate",
			"dns_query_timeout", "dns_query_tries", "dns_refresh_rate", "dns_udp_max_queries", "dns_use_tcp", "normalize_path",
			"merge_slashes", "path_with_escaped_slashes_action", "headers_with_underscores_action", "headers",
			"directory_provider", "directory_provider_options", "directory_provider_refresh_interval",
			"directory_provider_refresh_timeout", "blob_storage", "allow_upgrades", "session_recording_concurrency",
		},
		reasonFiles: {"cookie_secret_file", "idp_client_secret_file"},
		reasonOtel: {
			"otel_traces_exporter", "otel_resource_attributes", "otel_log_level", "otel_attribute_value_length_limit",
			"otel_exporter_otlp_endpoint", "otel_exporter_otlp_traces_endpoint", "otel_exporter_otlp_protocol",
			"otel_exporter_otlp_traces_protocol", "otel_exporter_otlp_headers", "otel_exporter_otlp_traces_headers",
			"otel_exporter_otlp_timeout", "otel_exporter_otlp_traces_timeout", "otel_bsp_schedule_delay",
			"otel_bsp_max_export_batch_size",
		},
	} {
		for _, k := range keys {
			m[k] = reason
		}
	}
	return m
}()

// unsupportedRoute are keys of Core's routes the console does not import.
var unsupportedRoute = map[string]string{
	"description": reasonRoute, "logo_url": reasonRoute, "jwt_groups_filter": reasonRoute,
	"jwt_groups_filter_infer_from_ppl": reasonRoute, "bearer_token_format": reasonRoute, "depends_on": reasonRoute,
	"idp_access_token_allowed_audiences": reasonRoute, "identity_providers": reasonRoute, "mcp": reasonRoute,
	"upstream_tunnel": reasonRoute, "session_recording": reasonRoute, "allow_upgrades": reasonRoute,
	"outlier_detection": reasonRoute, "circuit_breaker_thresholds": reasonRoute, "healthy_panic_threshold": reasonRoute,
	"least_request_lb_config": reasonRoute, "ring_hash_lb_config": reasonRoute, "maglev_lb_config": reasonRoute,
	"sub_policies": reasonRoute, "envoy_opts": reasonRoute, "_envoy_opts": reasonRoute,
	"allowed_groups": reasonAllowedGr,
}

// unsupportedNested are keys of nested objects Core (or Envoy) knows that
// the console does not import, by the nested object's key.
var unsupportedNested = map[string]map[string]string{
	"downstream_mtls": {"crl": reasonMTLS, "crl_file": reasonMTLS, "enforcement": reasonMTLS, "match_subject_alt_names": reasonMTLS, "max_verify_depth": reasonMTLS},
	"health_checks": {
		"no_traffic_interval": reasonHealth, "no_traffic_healthy_interval": reasonHealth, "unhealthy_interval": reasonHealth,
		"unhealthy_edge_interval": reasonHealth, "healthy_edge_interval": reasonHealth, "alt_port": reasonHealth,
		"reuse_connection": reasonHealth, "always_log_health_check_failures": reasonHealth,
		"always_log_health_check_success": reasonHealth, "transport_socket_match_criteria": reasonHealth, "event_log_path": reasonHealth,
	},
	"http_health_check": {"send": reasonHealth, "receive": reasonHealth, "response_buffer_size": reasonHealth, "request_headers_to_remove": reasonHealth},
}
