using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>A Legate with one catch-all route to the HTTP/1.1 cluster <c>raw</c>, optionally with an access log of code and flags.</summary>
internal static class Http1Legate
{
    public const string Cluster = "raw";

    public static Task<LegateHost> StartAsync(int port, string clusterExtra = "", string routeExtra = "", string? logPath = null)
    {
        var hcm = string.Empty;
        if (logPath is not null)
        {
            hcm = "access_log:\n- name: envoy.access_loggers.file\n  typed_config:\n"
                + "    \"@type\": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog\n"
                + "    path: \"" + logPath + "\"\n    log_format: { text_format_source: { inline_string: \"%RESPONSE_CODE% %RESPONSE_FLAGS%\\n\" } }\n";
        }
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll(Cluster, routeExtra), [ConfigYaml.StaticCluster(Cluster, port, clusterExtra)], hcmExtra: hcm);
        return LegateHost.StartAsync(yaml, fileFlushInterval: TimeSpan.FromMilliseconds(50));
    }

    /// <summary>The access log's last line once there is one.</summary>
    public static async Task<string> LastLogLineAsync(string path)
    {
        string[] lines = [];
        Assert.True(await Eventually.TrueAsync(() =>
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            return lines.Length > 0;
        }, TimeSpan.FromSeconds(5)), "no access log line in " + path);
        return lines[^1];
    }

    /// <summary>The cluster's typed_extension_protocol_options for HTTP/1.1 with the given common_http_protocol_options fields.</summary>
    public static string ProtocolOptions(string common) =>
        "typed_extension_protocol_options:\n"
        + "  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:\n"
        + "    \"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\n"
        + "    common_http_protocol_options: { " + common + " }\n"
        + "    explicit_http_config: { http_protocol_options: {} }\n";

    public static string Cx(string stat) => "cluster." + Cluster + "." + stat;
}
