using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>
/// per_try_timeout starts where Envoy starts it: once the pool has a connection for the attempt and the
/// downstream request is complete. Waiting for a connection at max_connections, or for the rest of a slow
/// upload, does not count against the try.
/// </summary>
public sealed class PerTryTimeoutStartTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // Longer than the 0.4 s per_try_timeout, so a timer started at the attempt's start would fire first.
    private static readonly TimeSpan s_longerThanTheTry = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Waiting_for_the_only_connection_does_not_count_against_the_try()
    {
        await using var upstream = new HeldUpstream();
        await using var legate = await StartAsync(upstream.Port, "circuit_breakers:\n  thresholds:\n  - max_connections: 1\n");
        var client = legate.CreateClient();

        var held = client.GetAsync("/held");
        await upstream.Received(1);
        var tried = client.GetAsync("/try");
        Assert.True(await Eventually.TrueAsync(() => legate.Server.Stats.Gauge(Http1Legate.Cx("upstream_rq_pending_active")).Value == 1),
            "the second request is not waiting for the connection");
        await Task.Delay(s_longerThanTheTry);
        upstream.Release();

        using var first = await held.WaitAsync(s_timeout);
        using var second = await tried.WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(0, legate.Counter(Http1Legate.Cx("upstream_rq_per_try_timeout")));
    }

    [Fact]
    public async Task A_slow_upload_does_not_count_against_the_try()
    {
        await using var upstream = new HeldUpstream();
        upstream.Release();
        await using var legate = await StartAsync(upstream.Port);

        using var response = await legate.CreateClient().PostAsync("/try", new PausingContent(s_longerThanTheTry)).WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, legate.Counter(Http1Legate.Cx("upstream_rq_per_try_timeout")));
    }

    [Fact]
    public async Task The_try_still_times_out_once_the_request_is_complete()
    {
        await using var upstream = new HeldUpstream();
        await using var legate = await StartAsync(upstream.Port);

        using var response = await legate.CreateClient().PostAsync("/try", new PausingContent(TimeSpan.Zero)).WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, legate.Counter(Http1Legate.Cx("upstream_rq_per_try_timeout")));
    }

    /// <summary>/held without a retry policy, /try with a 0.4 s per_try_timeout and no retries.</summary>
    private static Task<LegateHost> StartAsync(int port, string clusterExtra = "")
    {
        var virtualHosts = $$"""
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/held" }
                route: { cluster: {{Http1Legate.Cluster}}, timeout: 10s }
              - match: { prefix: "/try" }
                route:
                  cluster: {{Http1Legate.Cluster}}
                  timeout: 10s
                  retry_policy: { retry_on: 5xx, num_retries: 0, per_try_timeout: 0.4s }
            """;
        var yaml = ConfigYaml.Bootstrap(virtualHosts, [ConfigYaml.StaticCluster(Http1Legate.Cluster, port, clusterExtra)]);
        return LegateHost.StartAsync(yaml);
    }

    /// <summary>A request body sent in two halves with a pause between them.</summary>
    private sealed class PausingContent(TimeSpan pause) : HttpContent
    {
        private static readonly byte[] s_half = "half of the upload;"u8.ToArray();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(s_half);
            await stream.FlushAsync();
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
            await stream.WriteAsync(s_half);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 2 * s_half.Length;
            return true;
        }
    }
}
