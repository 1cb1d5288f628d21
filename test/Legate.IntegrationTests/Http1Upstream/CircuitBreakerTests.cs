using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>
/// The cluster circuit breakers max_requests, max_connections and max_pending_requests, per routing priority,
/// against an upstream that holds every request until the test lets it answer.
/// </summary>
public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private const string OverflowBody = "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    [Fact]
    public async Task Requests_past_max_requests_get_503_UO_with_x_envoy_overloaded()
    {
        await using var upstream = new HeldUpstream();
        using var dir = new TempDir();
        var log = dir.File("access.log");
        await using var legate = await Http1Legate.StartAsync(upstream.Port, Breakers("max_requests: 1\n    track_remaining: true"), logPath: log);
        var client = legate.CreateClient();
        Assert.Equal(1, Gauge(legate, "circuit_breakers.default.remaining_rq"));
        Assert.Equal(1024, Gauge(legate, "circuit_breakers.default.remaining_cx"));

        var first = client.GetAsync("/first");
        await upstream.Received(1);
        Assert.Equal(1, Gauge(legate, "circuit_breakers.default.rq_open"));
        Assert.Equal(0, Gauge(legate, "circuit_breakers.default.remaining_rq"));

        using (var refused = await client.GetAsync("/second").WaitAsync(s_timeout))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(OverflowBody, await refused.Content.ReadAsStringAsync());
            Assert.Equal("true", Assert.Single(refused.Headers.GetValues("x-envoy-overloaded")));
        }
        Assert.Equal("503 UO", await Http1Legate.LastLogLineAsync(log));
        Assert.Equal(1, legate.Counter(Http1Legate.Cx("upstream_rq_pending_overflow")));
        Assert.Equal(1, upstream.RequestsSeen);

        upstream.Release();
        using (var answered = await first.WaitAsync(s_timeout))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        Assert.True(await Eventually.TrueAsync(() => Gauge(legate, "circuit_breakers.default.rq_open") == 0), "rq_open stayed 1");
        Assert.Equal(1, Gauge(legate, "circuit_breakers.default.remaining_rq"));
        using var after = await client.GetAsync("/third").WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task At_max_connections_a_request_waits_for_the_busy_connection()
    {
        await using var upstream = new HeldUpstream();
        await using var legate = await Http1Legate.StartAsync(upstream.Port, Breakers("max_connections: 1"));
        var client = legate.CreateClient();

        var (first, second) = await HoldOneQueueOneAsync(client, upstream, legate);
        Assert.True(legate.Counter(Http1Legate.Cx("upstream_cx_overflow")) >= 1);
        Assert.Equal(1, Gauge(legate, "circuit_breakers.default.cx_open"));
        Assert.False(second.IsCompleted);

        await ReleaseAndAssertBothAnsweredAsync(upstream, first, second);
        Assert.Equal(1, upstream.Connections);
        Assert.Equal(2, upstream.RequestsSeen);
        Assert.Equal(0, Gauge(legate, "upstream_rq_pending_active"));
        // Both were pending: the first while its connection opened, the second until the first finished.
        Assert.Equal(2, legate.Counter(Http1Legate.Cx("upstream_rq_pending_total")));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Per_host_max_connections_makes_a_request_wait_for_the_hosts_busy_connection()
    {
        await using var upstream = new HeldUpstream();
        await using var legate = await Http1Legate.StartAsync(upstream.Port, "circuit_breakers:\n  per_host_thresholds:\n  - max_connections: 1\n");
        var client = legate.CreateClient();

        var (first, second) = await HoldOneQueueOneAsync(client, upstream, legate);
        // The cluster-wide limit (1024) is far off.
        Assert.Equal(0, Gauge(legate, "circuit_breakers.default.cx_open"));

        await ReleaseAndAssertBothAnsweredAsync(upstream, first, second);
        Assert.Equal(1, upstream.Connections);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Past_max_pending_requests_a_request_that_would_wait_overflows()
    {
        await using var upstream = new HeldUpstream();
        await using var legate = await Http1Legate.StartAsync(upstream.Port, Breakers("max_connections: 1\n    max_pending_requests: 1"));
        var client = legate.CreateClient();

        var (first, second) = await HoldOneQueueOneAsync(client, upstream, legate);
        Assert.Equal(1, Gauge(legate, "circuit_breakers.default.rq_pending_open"));

        using (var refused = await client.GetAsync("/third").WaitAsync(s_timeout))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(OverflowBody, await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(1, legate.Counter(Http1Legate.Cx("upstream_rq_pending_overflow")));

        await ReleaseAndAssertBothAnsweredAsync(upstream, first, second);
        Assert.Equal(0, Gauge(legate, "circuit_breakers.default.rq_pending_open"));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task A_pending_request_whose_route_timeout_fires_gets_504_and_leaves_the_queue()
    {
        await using var upstream = new HeldUpstream();
        var vhosts = "- name: all\n  domains: [\"*\"]\n  routes:\n"
            + "  - match: { prefix: \"/quick\" }\n    route: { cluster: raw, timeout: 0.3s }\n"
            + "  - match: { prefix: \"/\" }\n    route: { cluster: raw }\n";
        var yaml = ConfigYaml.Bootstrap(vhosts, [ConfigYaml.StaticCluster("raw", upstream.Port, Breakers("max_connections: 1"))]);
        await using var legate = await LegateHost.StartAsync(yaml);
        var client = legate.CreateClient();

        var first = client.GetAsync("/first");
        await upstream.Received(1);
        using (var timedOut = await client.GetAsync("/quick").WaitAsync(s_timeout))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
            Assert.Equal("upstream request timeout", await timedOut.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, Gauge(legate, "upstream_rq_pending_active"));

        upstream.Release();
        using var a = await first.WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        // The connection went back to the pool, not to the request that gave up.
        using var after = await client.GetAsync("/third").WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, upstream.Connections);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task A_high_priority_route_uses_the_high_thresholds()
    {
        await using var upstream = new HeldUpstream();
        upstream.Release();
        var breakers = "circuit_breakers:\n  thresholds:\n  - max_requests: 0\n  - priority: HIGH\n    max_requests: 5\n";
        var vhosts = "- name: all\n  domains: [\"*\"]\n  routes:\n"
            + "  - match: { prefix: \"/high\" }\n    route: { cluster: raw, priority: HIGH }\n"
            + "  - match: { prefix: \"/\" }\n    route: { cluster: raw }\n";
        var yaml = ConfigYaml.Bootstrap(vhosts, [ConfigYaml.StaticCluster("raw", upstream.Port, breakers)], hcmExtra: "");
        await using var legate = await LegateHost.StartAsync(yaml);
        var client = legate.CreateClient();

        using var high = await client.GetAsync("/high").WaitAsync(s_timeout);
        using var normal = await client.GetAsync("/normal").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, high.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, normal.StatusCode);
        Assert.Equal(OverflowBody, await normal.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.RequestsSeen);
    }

    [Fact]
    public async Task Suppress_envoy_headers_drops_x_envoy_overloaded()
    {
        await using var upstream = new HeldUpstream();
        var breakers = "circuit_breakers:\n  thresholds:\n  - max_requests: 0\n";
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("raw"), [ConfigYaml.StaticCluster("raw", upstream.Port, breakers)])
            .Replace("envoy.extensions.filters.http.router.v3.Router", "envoy.extensions.filters.http.router.v3.Router\n              suppress_envoy_headers: true", StringComparison.Ordinal);
        Assert.Contains("suppress_envoy_headers: true", yaml, StringComparison.Ordinal);
        await using var legate = await LegateHost.StartAsync(yaml);

        using var refused = await legate.CreateClient().GetAsync("/").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.False(refused.Headers.Contains("x-envoy-overloaded"));
        Assert.Equal(0, upstream.RequestsSeen);
    }

    /// <summary>The first request held at the upstream, the second pending behind it in Legate's connection pool.</summary>
    private static async Task<(Task<HttpResponseMessage> First, Task<HttpResponseMessage> Second)> HoldOneQueueOneAsync(
        HttpClient client, HeldUpstream upstream, LegateHost legate)
    {
        var first = client.GetAsync("/first");
        await upstream.Received(1);
        var second = client.GetAsync("/second");
        Assert.True(await Eventually.TrueAsync(() => Gauge(legate, "upstream_rq_pending_active") == 1), "the second request is not pending");
        return (first, second);
    }

    private static async Task ReleaseAndAssertBothAnsweredAsync(HeldUpstream upstream, Task<HttpResponseMessage> first, Task<HttpResponseMessage> second)
    {
        upstream.Release();
        using var a = await first.WaitAsync(s_timeout);
        using var b = await second.WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }

    private static string Breakers(string thresholds) => "circuit_breakers:\n  thresholds:\n  - " + thresholds + "\n";

    private static long Gauge(LegateHost legate, string stat) => legate.Server.Stats.Gauge(Http1Legate.Cx(stat)).Value;
}
