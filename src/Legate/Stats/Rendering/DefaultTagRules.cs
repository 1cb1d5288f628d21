namespace Legate.Stats.Rendering;

/// <summary>Envoy's well-known tag names and the patterns that find them in stat names, in Envoy's order.</summary>
internal static class DefaultTagRules
{
    private const string TagValue = @"[^\.]+";
    private const string Address = @"(?:(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[[a-fA-F_\d]+\])_\d+)";
    private const string Cipher = @"[\w\-]+";
    private const string TlsVersion = @"TLSv\d\.\d";
    private const string RouteConfigName = @"[\w\-\.]+";
    private const string ListenerOrCluster = @"(?:listener|cluster)\..*?";

    // Rules hold no per-name state, but the producer marks rules sharing a tag name, so each producer gets fresh ones.
    public static List<TagExtractorRule> Create() =>
    [
        TagExtractorRule.FromRegex("envoy.response_code", @"_rq(_(\d{3}))$", "_rq_"),
        TagExtractorRule.FromRegex("envoy.response_code_class", @"_rq_((\d))xx$", "_rq_"),
        TagExtractorRule.FromRegex("envoy.dynamo_partition_id",
            @"^http\." + TagValue + @"\.dynamodb\.table\." + TagValue + @"\.capacity\." + TagValue + @"(\.__partition_id=(\w{7}))$", ".dynamodb.table."),
        TagExtractorRule.FromRegex("envoy.dynamo_operation",
            @"^http\." + TagValue + @"\.dynamodb.(?:operation|table\." + TagValue + @"\.capacity)(\.(" + TagValue + @"))(?:\.|$)", ".dynamodb."),
        TagExtractorRule.FromRegex("envoy.dynamo_table",
            @"^http\." + TagValue + @"\.dynamodb.(?:table|error)\.((" + TagValue + @")\.)", ".dynamodb."),
        TagExtractorRule.FromRegex("envoy.ssl_cipher", @"^listener\..*?\.ssl\.ciphers(\.(" + Cipher + "))$", ".ssl.ciphers."),
        TagExtractorRule.FromRegex("envoy.ssl_curve", "^" + ListenerOrCluster + @"\.ssl\.curves(\.(" + Cipher + "))$", ".ssl.curves."),
        TagExtractorRule.FromRegex("envoy.ssl_sigalg", "^" + ListenerOrCluster + @"\.ssl\.sigalgs(\.(" + Cipher + "))$", ".ssl.sigalgs."),
        TagExtractorRule.FromRegex("envoy.ssl_version", "^" + ListenerOrCluster + @"\.ssl\.versions(\.(" + TlsVersion + "))$", ".ssl.versions."),
        TagExtractorRule.FromRegex("cipher_suite", @"^cluster\." + TagValue + @"\.ssl\.ciphers(\.(" + Cipher + "))$", ".ssl.ciphers."),
        TagExtractorRule.FromRegex("envoy.http_conn_manager_prefix", @"^listener\..*?\.http\.((" + TagValue + @")\.)", ".http."),
        TagExtractorRule.FromRegex("envoy.worker_id",
            @"^(?:listener\.(?:" + Address + "|" + TagValue + @")\.|server\.|listener_manager\.)worker_((\d+)\.)"),
        TagExtractorRule.FromRegex("envoy.listener_address", @"^listener\.((" + Address + "|" + TagValue + @")\.)", null, "admin"),
        TagExtractorRule.FromRegex("envoy.rds_route_config", @"^http\." + TagValue + @"\.rds\.((" + RouteConfigName + @")\.)\w+?$", ".rds."),
        TagExtractorRule.FromTokens("envoy.mongo_callsite", "mongo.*.collection.*.callsite.$.query.**"),
        TagExtractorRule.FromTokens("envoy.mongo_collection", "mongo.*.collection.$.**.query.*"),
        TagExtractorRule.FromTokens("envoy.mongo_cmd", "mongo.*.cmd.$.**"),
        TagExtractorRule.FromTokens("envoy.grpc_bridge_method", "cluster.*.grpc.*.$.**"),
        TagExtractorRule.FromTokens("envoy.http_user_agent", "http.*.user_agent.$.**"),
        TagExtractorRule.FromTokens("envoy.virtual_cluster", "vhost.*.vcluster.$.**"),
        TagExtractorRule.FromTokens("envoy.fault_downstream_cluster", "http.*.fault.$.**"),
        TagExtractorRule.FromTokens("envoy.grpc_bridge_service", "cluster.*.grpc.$.**"),
        TagExtractorRule.FromTokens("envoy.tcp_prefix", "tcp.$.**"),
        TagExtractorRule.FromTokens("envoy.udp_prefix", "udp.$.**"),
        TagExtractorRule.FromTokens("envoy.clientssl_prefix", "auth.clientssl.$.**"),
        TagExtractorRule.FromTokens("envoy.ratelimit_prefix", "ratelimit.$.**"),
        TagExtractorRule.FromTokens("envoy.cluster_name", "cluster.$.**"),
        TagExtractorRule.FromTokens("envoy.ext_authz_prefix", "cluster.*.ext_authz.$.**"),
        TagExtractorRule.FromTokens("envoy.ext_authz_prefix", "http.*.ext_authz.$.**"),
        TagExtractorRule.FromTokens("envoy.http_conn_manager_prefix", "http.$.**"),
        TagExtractorRule.FromTokens("envoy.virtual_host", "vhost.$.**"),
        TagExtractorRule.FromTokens("envoy.mongo_prefix", "mongo.$.**"),
        TagExtractorRule.FromTokens("envoy.route", "vhost.*.route.$.**"),
        TagExtractorRule.FromTokens("envoy.thrift_prefix", "thrift.$.**"),
        TagExtractorRule.FromTokens("envoy.redis_prefix", "redis.$.**"),
        TagExtractorRule.FromTokens("envoy.local_http_ratelimit_prefix", "$.http_local_rate_limit.**"),
        TagExtractorRule.FromTokens("envoy.local_network_ratelimit_prefix", "local_rate_limit.$.**"),
        TagExtractorRule.FromTokens("envoy.local_listener_ratelimit_prefix", "listener_local_ratelimit.$.**"),
        TagExtractorRule.FromTokens("envoy.dns_filter_prefix", "dns_filter.$.**"),
    ];
}
