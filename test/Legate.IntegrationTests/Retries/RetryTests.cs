using System.Globalization;
using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Retries;

/// <summary>The router's retries and per-try timeouts through a real LegateServer and scripted upstreams.</summary>
public sealed class RetryTests
{
    private const string Log = "%RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_REQUEST_ATTEMPT_COUNT%";

    [Fact]
    public async Task Retry_on_5xx_returns_the_second_attempt_only_and_counts_it()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503", "200");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        await using var legate = await StartAsync("retry_on: 5xx", [upstream.Port], logPath: logPath);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("200 from attempt 2", await response.Content.ReadAsStringAsync());
        // Nothing of the discarded 503 reaches the client: its x-step header was never copied.
        Assert.Equal("200-2", string.Join(",", response.Headers.GetValues("x-step")));
        Assert.Equal("2", string.Join(",", response.Headers.GetValues("x-envoy-attempt-count")));
        Assert.Equal(["1", "2"], upstream.Seen.Select(s => s.Headers["x-envoy-attempt-count"].ToString()));
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_success", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_backoff_exponential", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_limit_exceeded", 0);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_total", 2);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_200", 1);
        await legate.AssertCounterAsync("cluster.up.retry.upstream_rq_503", 1);
        Assert.Equal("200 - 2", await LastLogLineAsync(logPath));
    }

    [Fact]
    public async Task Connect_failure_on_a_dead_host_is_retried_on_the_other_host()
    {
        await using var live = await ScriptedUpstream.StartAsync("200");
        var dead = Ports.ReserveAndRelease();
        await using var legate = await StartAsync("retry_on: connect-failure\nnum_retries: 1", [dead, live.Port]);
        var client = legate.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/a");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Round robin over two hosts: the dead one is tried first by at least half of the requests.
        Assert.InRange(legate.Counter("cluster.up.upstream_rq_retry"), 2, 4);
        Assert.Equal(legate.Counter("cluster.up.upstream_rq_retry"), legate.Counter("cluster.up.upstream_rq_retry_success"));
        Assert.Equal(4, live.Requests);
    }

    [Fact]
    public async Task Exhausted_retries_return_the_last_upstream_response_with_URX()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        await using var legate = await StartAsync("retry_on: 5xx\nnum_retries: 2", [upstream.Port], logPath: logPath);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("503 from attempt 3", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, upstream.Requests);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry", 2);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_limit_exceeded", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_success", 0);
        Assert.Equal("503 URX 3", await LastLogLineAsync(logPath));
    }

    [Fact]
    public async Task Per_try_timeout_retries_a_hanging_attempt()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("hang", "200");
        await using var legate = await StartAsync("retry_on: 5xx\nper_try_timeout: 0.2s", [upstream.Port]);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("200 from attempt 2", await response.Content.ReadAsStringAsync());
        await legate.AssertCounterAsync("cluster.up.upstream_rq_per_try_timeout", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_timeout", 0);
    }

    [Fact]
    public async Task Per_try_timeout_without_retries_left_gets_504()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("hang");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        await using var legate = await StartAsync("retry_on: 5xx\nnum_retries: 1\nper_try_timeout: 0.1s", [upstream.Port], logPath: logPath);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        await legate.AssertCounterAsync("cluster.up.upstream_rq_per_try_timeout", 2);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_limit_exceeded", 1);
        Assert.Equal("504 UT,URX 2", await LastLogLineAsync(logPath));
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Post_body_is_sent_again_on_retry(string downstreamVersion)
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503", "200");
        await using var legate = await StartAsync("retry_on: 5xx", [upstream.Port]);

        using var response = await legate.CreateClient(Version.Parse(downstreamVersion)).PostAsync("/a", new StringContent("hello retry"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["hello retry", "hello retry"], upstream.Seen.Select(s => s.Body));
    }

    [Fact]
    public async Task Body_larger_than_the_buffer_limit_is_not_retried()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503", "200");
        await using var legate = await StartAsync("retry_on: 5xx", [upstream.Port], clusterExtra: "per_connection_buffer_limit_bytes: 8");

        using var response = await legate.CreateClient().PostAsync("/a", new StringContent("more than eight bytes"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.Requests);
        await legate.AssertCounterAsync("cluster.up.retry_or_shadow_abandoned", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry", 0);
    }

    [Fact]
    public async Task Reset_is_retried_and_exhausted_resets_say_retried()
    {
        await using var flaky = await ScriptedUpstream.StartAsync("reset", "200");
        await using (var legate = await StartAsync("retry_on: reset", [flaky.Port]))
        {
            using var response = await legate.CreateClient().GetAsync("/a");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("200 from attempt 2", await response.Content.ReadAsStringAsync());
        }

        await using var broken = await ScriptedUpstream.StartAsync("reset");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        await using var failing = await StartAsync("retry_on: reset\nnum_retries: 2", [broken.Port], logPath: logPath);
        using var failed = await failing.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.StartsWith("upstream connect error or disconnect/reset before headers. retried and the latest reset reason: ",
            await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, broken.Requests);
        Assert.StartsWith("503 ", await LastLogLineAsync(logPath), StringComparison.Ordinal);
        Assert.EndsWith("URX 3", await LastLogLineAsync(logPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_circuit_breaker_at_zero_overflows_with_UO()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503", "200");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        var breakers = "circuit_breakers:\n  thresholds:\n  - max_retries: 0";
        await using var legate = await StartAsync("retry_on: 5xx", [upstream.Port], clusterExtra: breakers, logPath: logPath);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_overflow", 1);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry", 0);
        Assert.Equal("503 UO 1", await LastLogLineAsync(logPath));
    }

    [Fact]
    public async Task A_retry_budget_replaces_max_retries()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503", "200", "503", "200");
        using var dir = new TempDir();
        var logPath = dir.File("access.log");
        // max_retries alone would allow the retry; a budget of 0% with no minimum allows none.
        var breakers = "circuit_breakers:\n  thresholds:\n  - max_retries: 5\n    retry_budget: { budget_percent: { value: 0 }, min_retry_concurrency: 0 }";
        await using var legate = await StartAsync("retry_on: 5xx", [upstream.Port], clusterExtra: breakers, logPath: logPath);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry_overflow", 1);
        Assert.Equal("503 UO 1", await LastLogLineAsync(logPath));
    }

    [Fact]
    public async Task Retriable_status_codes_retry_only_the_listed_codes()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("418", "409", "200");
        await using var legate = await StartAsync("retry_on: retriable-status-codes\nretriable_status_codes: [418]\nnum_retries: 3", [upstream.Port]);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task Without_a_retry_policy_a_503_is_returned_as_is()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("503", "200");
        await using var legate = await StartAsync(null, [upstream.Port]);

        using var response = await legate.CreateClient().GetAsync("/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("503 from attempt 1", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.Requests);
        Assert.Equal(0, legate.Counter("cluster.up.upstream_rq_retry"));
    }

    [Fact]
    public async Task Internal_request_retry_headers_enable_retries()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("502", "502", "200");
        await using var legate = await StartAsync(null, [upstream.Port], hcmExtra: "use_remote_address: true");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/a");
        request.Headers.Add("x-envoy-retry-on", "gateway-error");
        request.Headers.Add("x-envoy-max-retries", "2");

        using var response = await legate.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, upstream.Requests);
        await legate.AssertCounterAsync("cluster.up.upstream_rq_retry", 2);
    }

    private static async Task<LegateHost> StartAsync(string? retryPolicy, int[] ports, string clusterExtra = "", string hcmExtra = "", string? logPath = null)
    {
        var route = "route:\n  cluster: up\n  timeout: 10s\n";
        if (retryPolicy is not null)
        {
            route += "  retry_policy:\n" + ConfigYaml.Indent(retryPolicy + "\nretry_back_off: { base_interval: 0.001s }", 4);
        }
        var virtualHosts = "- name: all\n  domains: [\"*\"]\n  include_request_attempt_count: true\n  include_attempt_count_in_response: true\n"
            + "  routes:\n  - match: { prefix: \"/\" }\n" + ConfigYaml.Indent(route, 4);
        if (logPath is not null)
        {
            hcmExtra += "\naccess_log:\n- name: envoy.access_loggers.file\n  typed_config:\n"
                + "    \"@type\": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog\n"
                + "    path: \"" + logPath + "\"\n    log_format: { text_format_source: { inline_string: \"" + Log + "\\n\" } }\n";
        }
        var cluster = ConfigYaml.StaticCluster("up", ports, extra: clusterExtra);
        return await LegateHost.StartAsync(ConfigYaml.Bootstrap(virtualHosts, [cluster], hcmExtra: hcmExtra.TrimStart('\n')),
            fileFlushInterval: TimeSpan.FromMilliseconds(50));
    }

    private static async Task<string> LastLogLineAsync(string path)
    {
        string[] lines = [];
        Assert.True(await Eventually.TrueAsync(() =>
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            return lines.Length > 0;
        }), "no access log line in " + path);
        return lines[^1];
    }
}
