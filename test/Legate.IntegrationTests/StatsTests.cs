using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>Envoy's stat names and exact counts after a known number of requests and connections.</summary>
public sealed class StatsTests
{
    [Fact]
    public async Task Request_cluster_and_listener_counters_equal_what_was_sent()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var virtualHosts = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/ok" }
                route: { cluster: echo_cluster }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            virtualHosts,
            [ConfigYaml.StaticCluster("echo_cluster", upstream.Port)],
            statPrefix: "ingress_http"));

        // Two connections (one per client, requests sequential on each): 4 + 3 routed, 2 without a route.
        var first = legate.CreateClient();
        var second = legate.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            using var r = await first.GetAsync("/ok/" + i);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        for (var i = 0; i < 3; i++)
        {
            using var r = await second.GetAsync("/ok/" + i);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        for (var i = 0; i < 2; i++)
        {
            using var r = await second.GetAsync("/missing");
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        await legate.AssertCounterAsync("http.ingress_http.downstream_rq_total", 9);
        await legate.AssertCounterAsync("http.ingress_http.downstream_rq_2xx", 7);
        await legate.AssertCounterAsync("http.ingress_http.downstream_rq_4xx", 2);
        await legate.AssertCounterAsync("http.ingress_http.downstream_rq_completed", 9);
        await legate.AssertCounterAsync("http.ingress_http.downstream_rq_http1_total", 9);
        await legate.AssertCounterAsync("http.ingress_http.no_route", 2);
        await legate.AssertCounterAsync("http.ingress_http.downstream_cx_total", 2);
        await legate.AssertCounterAsync("cluster.echo_cluster.upstream_rq_total", 7);
        await legate.AssertCounterAsync("cluster.echo_cluster.upstream_rq_200", 7);
        await legate.AssertCounterAsync("cluster.echo_cluster.upstream_rq_2xx", 7);
        await legate.AssertCounterAsync("cluster.echo_cluster.upstream_rq_completed", 7);
        await legate.AssertCounterAsync("listener.127.0.0.1_0.downstream_cx_total", 2);
        Assert.Equal(7, upstream.Requests);
    }

    [Fact]
    public async Task Http2_requests_and_connections_are_counted_by_protocol()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("echo_cluster"),
            [ConfigYaml.StaticCluster("echo_cluster", upstream.Port)],
            statPrefix: "h2_edge"));
        var client = legate.CreateClient(HttpVersion.Version20);

        // Concurrent streams on one HTTP/2 connection.
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.GetAsync("/s/" + i)));
        foreach (var response in responses)
        {
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        await legate.AssertCounterAsync("http.h2_edge.downstream_rq_total", 5);
        await legate.AssertCounterAsync("http.h2_edge.downstream_rq_http2_total", 5);
        await legate.AssertCounterAsync("http.h2_edge.downstream_rq_http1_total", 0);
        await legate.AssertCounterAsync("http.h2_edge.downstream_cx_http2_total", 1);
        await legate.AssertCounterAsync("http.h2_edge.downstream_cx_total", 1);
        await legate.AssertCounterAsync("cluster.echo_cluster.upstream_rq_200", 5);
    }

    [Fact]
    public async Task Local_reply_classes_are_counted_per_response_sent()
    {
        var deadPort = Ports.ReserveAndRelease();
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("dead"),
            [ConfigYaml.StaticCluster("dead", deadPort)],
            statPrefix: "edge"));
        var client = legate.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var r = await client.GetAsync("/x");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        }

        await legate.AssertCounterAsync("http.edge.downstream_rq_total", 3);
        await legate.AssertCounterAsync("http.edge.downstream_rq_5xx", 3);
        await legate.AssertCounterAsync("http.edge.downstream_rq_2xx", 0);
        await legate.AssertCounterAsync("cluster.dead.upstream_cx_connect_fail", 3);
        await legate.AssertCounterAsync("cluster.dead.upstream_rq_200", 0);
    }
}
