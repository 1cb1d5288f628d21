using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>vhost.&lt;vh&gt;.vcluster.&lt;vc&gt;.* stats for virtual hosts with virtual_clusters.</summary>
public sealed class VirtualClusterStatsTests
{
    [Fact]
    public async Task Requests_are_counted_in_their_virtual_cluster_and_the_rest_in_other()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var virtualHosts = """
            - name: api_host
              domains: ["*"]
              virtual_clusters:
              - name: writes
                headers:
                - name: ":method"
                  string_match: { exact: POST }
              routes:
              - match: { prefix: "/" }
                route: { cluster: echo }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(virtualHosts, [ConfigYaml.StaticCluster("echo", upstream.Port)]));
        var client = legate.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var post = await client.PostAsync("/items", new StringContent("x"));
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }
        using (var get = await client.GetAsync("/items"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        await legate.AssertCounterAsync("vhost.api_host.vcluster.writes.upstream_rq_total", 3);
        await legate.AssertCounterAsync("vhost.api_host.vcluster.writes.upstream_rq_200", 3);
        await legate.AssertCounterAsync("vhost.api_host.vcluster.writes.upstream_rq_2xx", 3);
        await legate.AssertCounterAsync("vhost.api_host.vcluster.other.upstream_rq_total", 1);
        Assert.Equal(3, legate.Server.Stats.Histogram("vhost.api_host.vcluster.writes.upstream_rq_time").SampleCount);
    }
}
