using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>The seed's envoy_basic_front.yaml: two virtual hosts by domain, one LOGICAL_DNS cluster each.</summary>
public sealed class SeedScenarioTests
{
    private static readonly string SeedPath = Path.Combine(AppContext.BaseDirectory, "Seed", "envoy_basic_front.yaml");

    [Fact]
    [Trait("Category", "Executable")]
    public async Task Validate_mode_accepts_the_seed_config()
    {
        var result = await LegateProcess.RunAsync(TimeSpan.FromSeconds(30), "--mode", "validate", "-c", SeedPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("configuration '" + SeedPath + "' OK", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_by_host_to_the_two_clusters_with_envoy_headers()
    {
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var yaml = LocalCopyOfSeed(a.Port, b.Port);
        await using var legate = await LegateHost.StartAsync(yaml);
        var client = legate.CreateClient();

        var baidu = await SendAsync(client, "baidu.com", "/s?wd=legate");
        Assert.Equal(HttpStatusCode.OK, baidu.StatusCode);
        var seenByA = await EchoReply.ReadAsync(baidu);
        Assert.Equal("A", seenByA.Upstream);
        Assert.Equal("/s?wd=legate", seenByA.Path);
        Assert.Equal("envoy", string.Join(",", baidu.Headers.GetValues("server")));
        var serviceTime = Assert.Single(baidu.Headers.GetValues("x-envoy-upstream-service-time"));
        Assert.True(int.TryParse(serviceTime, NumberStyles.None, CultureInfo.InvariantCulture, out _), serviceTime);
        Assert.NotNull(baidu.Headers.Date);
        Assert.Equal("15000", seenByA.Header("x-envoy-expected-rq-timeout-ms"));
        Assert.Equal("http", seenByA.Header("x-forwarded-proto"));
        Assert.Equal("baidu.com", seenByA.Host);
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), seenByA.Header("x-request-id") ?? "");

        var httpbin = await SendAsync(client, "httpbin.org", "/get");
        Assert.Equal(HttpStatusCode.OK, httpbin.StatusCode);
        var seenByB = await EchoReply.ReadAsync(httpbin);
        Assert.Equal("B", seenByB.Upstream);
        Assert.Equal("/get", seenByB.Path);
        Assert.Equal("httpbin.org", seenByB.Host);
        Assert.NotEqual(seenByA.Header("x-request-id"), seenByB.Header("x-request-id"));

        var unknown = await SendAsync(client, "example.com", "/");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("", await unknown.Content.ReadAsStringAsync());
        Assert.Equal("envoy", string.Join(",", unknown.Headers.GetValues("server")));

        Assert.Equal(1, a.Requests);
        Assert.Equal(1, b.Requests);
    }

    [Fact]
    [Trait("Category", "Executable")]
    public async Task Verbatim_seed_served_by_the_cli_answers_503_when_upstreams_are_unreachable()
    {
        // The seed binds fixed ports; when something else owns them this environment cannot run it.
        if (await Ports.AcceptsConnectionsAsync(8080) || await Ports.AcceptsConnectionsAsync(8081))
        {
            return;
        }
        await using var legate = LegateProcess.Start("-c", SeedPath, "--drain-time-s", "1");
        var listening = await Ports.WaitUntilListeningAsync(8080, TimeSpan.FromSeconds(40), () => legate.HasExited);
        Assert.True(listening, "port 8080 never opened\n" + legate.Stderr);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:8080/");
        request.Headers.Host = "baidu.com";
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("envoy", string.Join(",", response.Headers.GetValues("server")));
        Assert.True(
            body == "no healthy upstream" || body.StartsWith("upstream connect error or disconnect/reset before headers. ", StringComparison.Ordinal),
            body);

        legate.SendSigterm();
        Assert.Equal(0, await legate.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>The seed with port 0, no admin, and both clusters STATIC on local upstreams.</summary>
    private static string LocalCopyOfSeed(int portA, int portB)
    {
        var yaml = File.ReadAllText(SeedPath).Replace("\r\n", "\n");
        return yaml
            .ReplaceExactly("admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: 8081 }\n", "")
            .ReplaceExactly("port_value: 8080", "port_value: 0")
            .ReplaceExactly("type: LOGICAL_DNS", "type: STATIC", 2)
            .ReplaceExactly("address: www.baidu.com\n                      port_value: 80", "address: 127.0.0.1\n                      port_value: " + portA.ToString(CultureInfo.InvariantCulture))
            .ReplaceExactly("address: httpbin.org\n                      port_value: 80", "address: 127.0.0.1\n                      port_value: " + portB.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }
}
