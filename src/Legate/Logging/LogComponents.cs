namespace Legate.Logging;

/// <summary>
/// Envoy's logger ids (ALL_LOGGER_IDS): the names accepted by --component-log-level and the admin
/// /logging endpoint, and the category names Legate code passes to CreateLogger.
/// </summary>
public static class LogComponents
{
    /// <summary>Catch-all component; categories that are not a known component are printed under it.</summary>
    public const string Misc = "misc";

    /// <summary>Every known component, sorted by name (ordinal), as /logging lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = BuildNames();

    private static readonly HashSet<string> s_known = new(Names, StringComparer.Ordinal);

    public static bool IsKnown(string name) => s_known.Contains(name);

    /// <summary>Envoy's message for an unknown component name.</summary>
    public static string InvalidComponentError(string name) => $"error: invalid component specified '{name}'";

    private static string[] BuildNames()
    {
        string[] names =
        [
            "admin", "alternate_protocols_cache", "aws", "assert", "backtrace", "basic_auth", "cache_filter",
            "client", "config", "connection", "conn_handler", "decompression", "dns", "dubbo", "envoy_bug",
            "ext_authz", "ext_proc", "rocketmq", "file", "filter", "forward_proxy", "geolocation", "golang", "grpc",
            "happy_eyeballs", "hc", "health_checker", "http", "http2", "http3", "hystrix", "init", "io", "jwt",
            "kafka", "key_value_store", "lua", "main", "matcher", "misc", "mongo", "multi_connection", "oauth2",
            "quic", "quic_stream", "pool", "rate_limit_quota", "rbac", "rds", "redis", "router", "runtime",
            "stats", "secret", "tap", "testing", "thrift", "tracing", "upstream", "udp", "wasm", "websocket",
        ];
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }
}
