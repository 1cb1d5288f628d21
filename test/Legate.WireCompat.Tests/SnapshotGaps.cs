namespace Legate.WireCompat.Tests;

/// <summary>
/// The upstream snapshot in @grpc/grpc-js-xds 1.14.1 is older than the Envoy API that api/ follows
/// (data-plane-api HEAD of 2026-01). What we define that current Envoy has but the snapshot lacks is listed here, each
/// with where it was checked; anything absent upstream and not listed fails the test, because a field we invented is
/// a wire incompatibility. Keys are <see cref="SchemaComparison.MissingUpstream"/> lines up to their detail in
/// parentheses. When the npm pin moves forward, entries the snapshot now has are reported as stale by the test.
/// </summary>
internal static class SnapshotGaps
{
    /// <summary>Present in section 9 of the shared Envoy reference, extracted from data-plane-api HEAD 84e84367f2 (2026-01-29).</summary>
    private const string AtDataPlaneApiHead = "data-plane-api HEAD 84e84367f2";

    /// <summary>Read in a recent envoyproxy/envoy api/ file (same number, name and type).</summary>
    private const string ReadInEnvoyApi = "envoyproxy/envoy api/ file";

    /// <summary>Newer than the snapshot and not yet cross-checked against current upstream: the lead should verify these.</summary>
    private const string NotYetCrossChecked = "not yet cross-checked";

    public static readonly (string Key, string Source)[] Missing =
    [
        ("enum envoy.extensions.filters.network.tcp_proxy.v3.UpstreamConnectMode", AtDataPlaneApiHead),
        ("field envoy.admin.v3.CommandLineOptions.file_flush_min_size = 42", AtDataPlaneApiHead),
        ("field envoy.admin.v3.CommandLineOptions.skip_deprecated_logs = 41", AtDataPlaneApiHead),
        ("field envoy.config.bootstrap.v3.Admin.allow_paths = 7", AtDataPlaneApiHead),
        ("field envoy.config.bootstrap.v3.Bootstrap.stats_eviction_interval = 42", AtDataPlaneApiHead),
        ("field envoy.config.cluster.v3.Cluster.dns_jitter = 58", AtDataPlaneApiHead),
        ("field envoy.config.cluster.v3.Cluster.transport_socket_matcher = 59", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.GrpcService.GoogleGrpc.call_credentials_plugin = 10", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.GrpcService.GoogleGrpc.channel_credentials_plugin = 9", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.Http1ProtocolOptions.ignore_http_11_upgrade = 11", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.Http2ProtocolOptions.enable_huffman_encoding = 18", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.Http2ProtocolOptions.max_metadata_size = 17", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.Http3ProtocolOptions.disable_connection_flow_control_for_streams = 8", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.Http3ProtocolOptions.disable_qpack = 7", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.HttpProtocolOptions.max_response_headers_kb = 7", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.SocketAddress.network_namespace_filepath = 7", AtDataPlaneApiHead),
        ("field envoy.config.listener.v3.Listener.fcds_config = 36", AtDataPlaneApiHead),
        ("field envoy.config.listener.v3.Listener.tcp_keepalive = 37", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.DirectResponseAction.body_format = 3", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.Route.request_body_buffer_limit = 20", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteAction.RequestMirrorPolicy.host_rewrite_literal = 8", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteAction.RequestMirrorPolicy.request_headers_mutations = 7", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteAction.flush_timeout = 42", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteAction.host_rewrite = 44", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteAction.path_rewrite = 45", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteConfiguration.vhost_header = 18", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteMatch.cookies = 17", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.RouteMatch.filter_state = 16", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.VirtualHost.request_body_buffer_limit = 25", AtDataPlaneApiHead),
        ("field envoy.config.route.v3.WeightedCluster.use_hash_policy = 5", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.http.router.v3.Router.reject_connect_request_early_data = 10", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.forward_client_cert_matcher = 60", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.forward_proto_config = 61", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.http1_safe_max_connection_duration = 58", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.stream_flush_timeout = 59", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.TunnelingConfig.request_id_extension = 7", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.TunnelingConfig.request_id_header = 8", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.TunnelingConfig.request_id_metadata_key = 9", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.backoff_options = 18", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.max_downstream_connection_duration_jitter_percentage = 20", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.max_early_data_bytes = 22", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.proxy_protocol_tlvs = 19", AtDataPlaneApiHead),
        ("field envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.upstream_connect_mode = 21", AtDataPlaneApiHead),
        ("field envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.custom_tls_certificate_selector = 16", AtDataPlaneApiHead),
        ("field envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.prefer_client_ciphers = 11", AtDataPlaneApiHead),
        ("field envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.auto_host_sni = 6", AtDataPlaneApiHead),
        ("field envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.auto_sni_san_validation = 7", AtDataPlaneApiHead),
        ("field envoy.extensions.upstreams.http.v3.HttpProtocolOptions.hash_policy = 10", AtDataPlaneApiHead),
        ("field envoy.extensions.upstreams.http.v3.HttpProtocolOptions.outlier_detection = 8", AtDataPlaneApiHead),
        ("field envoy.extensions.upstreams.http.v3.HttpProtocolOptions.request_mirror_policies = 9", AtDataPlaneApiHead),
        ("field envoy.extensions.upstreams.http.v3.HttpProtocolOptions.retry_policy = 11", AtDataPlaneApiHead),
        ("field envoy.service.discovery.v3.DeltaDiscoveryResponse.resource_errors = 9", AtDataPlaneApiHead),
        ("field envoy.service.discovery.v3.DiscoveryResponse.resource_errors = 7", AtDataPlaneApiHead),
        ("message envoy.service.discovery.v3.ResourceError", AtDataPlaneApiHead),
        ("field envoy.config.core.v3.ProxyProtocolConfig.added_tlvs = 3", ReadInEnvoyApi),
        ("field envoy.type.matcher.v3.FilterStateMatcher.address_match = 3", ReadInEnvoyApi),
        ("message envoy.config.core.v3.PerHostConfig", ReadInEnvoyApi),
        ("message envoy.config.core.v3.TlvEntry", ReadInEnvoyApi),
        ("message envoy.type.matcher.v3.AddressMatcher", ReadInEnvoyApi),
        ("enum envoy.config.core.v3.SocketOption.SocketIpVersion", NotYetCrossChecked),
        ("enum envoy.extensions.transport_sockets.tls.v3.TlsParameters.CompliancePolicy", NotYetCrossChecked),
        ("field envoy.config.core.v3.KeyValueAppend.record = 3", NotYetCrossChecked),
        ("field envoy.config.core.v3.QuicProtocolOptions.client_packet_writer = 10", NotYetCrossChecked),
        ("field envoy.config.core.v3.QuicProtocolOptions.connection_migration = 11", NotYetCrossChecked),
        ("field envoy.config.core.v3.QuicProtocolOptions.max_packet_length = 9", NotYetCrossChecked),
        ("field envoy.config.core.v3.SocketOption.ip_version = 8", NotYetCrossChecked),
        ("field envoy.config.core.v3.SocketOption.type = 7", NotYetCrossChecked),
        ("field envoy.config.listener.v3.AdditionalAddress.tcp_keepalive = 3", NotYetCrossChecked),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing.no_context_propagation = 13", NotYetCrossChecked),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing.operation = 11", NotYetCrossChecked),
        ("field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing.upstream_operation = 12", NotYetCrossChecked),
        ("field envoy.extensions.transport_sockets.tls.v3.GenericSecret.secrets = 2", NotYetCrossChecked),
        ("field envoy.extensions.transport_sockets.tls.v3.TlsParameters.compliance_policies = 6", NotYetCrossChecked),
        ("field envoy.type.tracing.v3.CustomTag.value = 6", NotYetCrossChecked),
        ("message envoy.config.core.v3.KeyValuePair", NotYetCrossChecked),
        ("message envoy.config.core.v3.QuicProtocolOptions.ConnectionMigrationSettings", NotYetCrossChecked),
        ("message envoy.config.core.v3.QuicProtocolOptions.ConnectionMigrationSettings.MigrateIdleConnectionSettings", NotYetCrossChecked),
        ("message envoy.config.core.v3.SocketOption.SocketType", NotYetCrossChecked),
        ("message envoy.config.core.v3.SocketOption.SocketType.Datagram", NotYetCrossChecked),
        ("message envoy.config.core.v3.SocketOption.SocketType.Stream", NotYetCrossChecked),
        ("message envoy.config.listener.v3.Listener.FcdsConfig", NotYetCrossChecked),
        ("message envoy.config.route.v3.CookieMatcher", NotYetCrossChecked),
        ("message envoy.extensions.filters.network.http_connection_manager.v3.ForwardProtoConfig", NotYetCrossChecked),
        ("message envoy.extensions.transport_sockets.tls.v3.GenericSecret.SecretsEntry", NotYetCrossChecked),
        ("message envoy.extensions.upstreams.http.v3.HttpProtocolOptions.OutlierDetection", NotYetCrossChecked),
        ("enum value envoy.admin.v3.ClientResourceStatus.RECEIVED_ERROR = 5", AtDataPlaneApiHead),
        ("enum value envoy.admin.v3.ClientResourceStatus.TIMEOUT = 6", AtDataPlaneApiHead),
        ("enum value envoy.config.accesslog.v3.ComparisonFilter.Op.NE = 3", AtDataPlaneApiHead),
    ];

    /// <summary>Exact <see cref="SchemaComparison.Differences"/> lines where current Envoy changed what the snapshot has.</summary>
    public static readonly (string Difference, string Why)[] Drift =
    [
        ("envoy.admin.v3.CertificateDetails field 4 'days_until_expiration': type int64, upstream uint64",
            "uint64 since v2alpha and in the snapshot; current envoyproxy/envoy api/envoy/admin/v3/certs.proto declares int64 "
            + "(expired certificates report negative days, envoy issue 20573); same varint on the wire for non-negative values"),
    ];

    public static bool ExplainsMissing(string line)
    {
        foreach (var (key, _) in Missing)
        {
            if (line == key || line.StartsWith(key + " ", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public static bool ExplainsDifference(string line)
    {
        foreach (var (difference, _) in Drift)
        {
            if (line == difference)
            {
                return true;
            }
        }
        return false;
    }

    public static string SourceOf(string line)
    {
        foreach (var (key, source) in Missing)
        {
            if (line == key || line.StartsWith(key + " ", StringComparison.Ordinal))
            {
                return source;
            }
        }
        return string.Empty;
    }
}
