using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>envoy.access_loggers.file with the default format: one line per request.</summary>
public sealed class AccessLogTests
{
    private const string Uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private const string StartTime = @"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\]";

    [Fact]
    public async Task File_logger_writes_one_default_format_line_per_request()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        var virtualHosts = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/ok" }
                route: { cluster: echo }
            """;
        var accessLog = $$"""
            access_log:
            - name: envoy.access_loggers.file
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                path: "{{logPath}}"
            """;
        var legate = await LegateHost.StartAsync(
            ConfigYaml.Bootstrap(virtualHosts, [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: accessLog),
            fileFlushInterval: TimeSpan.FromMilliseconds(100));
        var port = legate.Port.ToString(CultureInfo.InvariantCulture);
        var upstreamHost = "127.0.0.1:" + upstream.Port.ToString(CultureInfo.InvariantCulture);
        string getBytes;
        string postBytes;
        try
        {
            var client = legate.CreateClient();
            using (var get = await client.GetAsync("/ok/a?q=1"))
            {
                Assert.Equal(HttpStatusCode.OK, get.StatusCode);
                getBytes = (await get.Content.ReadAsByteArrayAsync()).Length.ToString(CultureInfo.InvariantCulture);
            }
            using (var post = await client.PostAsync("/ok/b", new StringContent("hello")))
            {
                Assert.Equal(HttpStatusCode.OK, post.StatusCode);
                postBytes = (await post.Content.ReadAsByteArrayAsync()).Length.ToString(CultureInfo.InvariantCulture);
            }
            using (var missing = await client.GetAsync("/nothing"))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            Assert.True(await Eventually.TrueAsync(() => ReadLines(logPath).Length >= 3), "access log has: " + string.Join("\n", ReadLines(logPath)));
        }
        finally
        {
            await legate.DisposeAsync();
        }

        var lines = ReadLines(logPath);
        Assert.Equal(3, lines.Length);
        AssertLine("^" + StartTime + " \"GET /ok/a\\?q=1 HTTP/1\\.1\" 200 - 0 " + getBytes + " \\d+ \\d+ \"[^\"]*\" \"-\" \"" + Uuid + "\" \"127\\.0\\.0\\.1:" + port + "\" \"" + Regex.Escape(upstreamHost) + "\"$", lines[0]);
        AssertLine("^" + StartTime + " \"POST /ok/b HTTP/1\\.1\" 200 - 5 " + postBytes + " \\d+ \\d+ \"[^\"]*\" \"-\" \"" + Uuid + "\" \"127\\.0\\.0\\.1:" + port + "\" \"" + Regex.Escape(upstreamHost) + "\"$", lines[1]);
        AssertLine("^" + StartTime + " \"GET /nothing HTTP/1\\.1\" 404 NR 0 0 \\d+ - \"[^\"]*\" \"-\" \"" + Uuid + "\" \"127\\.0\\.0\\.1:" + port + "\" \"-\"$", lines[2]);
    }

    private static void AssertLine(string pattern, string line) =>
        Assert.True(Regex.IsMatch(line, pattern), "line:    " + line + "\npattern: " + pattern);

    /// <summary>The log's lines so far; read with sharing, as the proxy may be writing it.</summary>
    internal static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
