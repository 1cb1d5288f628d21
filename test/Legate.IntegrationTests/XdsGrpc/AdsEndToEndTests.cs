using Envoy.Config.Cluster.V3;
using Legate.IntegrationTests.Support;
using static Legate.IntegrationTests.XdsGrpc.XdsClientHarness;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>
/// A LegateServer whose clusters, endpoints, listeners and routes all come over one ADS stream from the
/// management server (through a static h2 cluster, as in an Envoy bootstrap) and serve real traffic.
/// </summary>
public sealed class AdsEndToEndTests
{
    [Theory]
    [InlineData("GRPC")]
    [InlineData("DELTA_GRPC")]
    public async Task ClustersAndListenersFromAdsServeTrafficAndFollowUpdates(string apiType)
    {
        await using var first = await TestUpstream.StartAsync("first");
        await using var second = await TestUpstream.StartAsync("second");
        await using var xds = await ManagementServer.StartAsync();
        xds.SetSnapshot(ClusterType, "c1", XdsResources.EdsCluster("backend"));
        xds.SetSnapshot(EndpointType, "e1", Endpoints("backend", first.Port));
        xds.SetSnapshot(ListenerType, "l1", XdsResources.Listener("listener_0", "local_route"));
        xds.SetSnapshot(RouteType, "r1", XdsResources.Route("local_route", "backend"));

        await using var host = await LegateHost.StartAsync(XdsResources.AdsBootstrap(xds.Port, apiType));
        var client = host.CreateClient();
        var response = await client.GetAsync("/hello");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("first", response.Headers.GetValues("x-upstream").Single());
        Assert.Equal(1, xds.StreamCount);
        Assert.True(host.Counter("cluster_manager.cds.update_success") >= 1, host.NonZeroCounters());
        Assert.True(host.Counter("listener_manager.lds.update_success") >= 1, host.NonZeroCounters());
        Assert.Equal(1, host.Server.Stats.Gauge("control_plane.connected_state").Value);
        // The xDS cluster's own connection is counted like any upstream connection.
        Assert.True(host.Counter("cluster.xds_cluster.upstream_cx_total") >= 1, host.NonZeroCounters());

        // An endpoint update moves traffic with no restart.
        xds.SetSnapshot(EndpointType, "e2", Endpoints("backend", second.Port));
        Assert.True(await Eventually.TrueAsync(async () => await UpstreamOf(client) == "second"), "traffic never moved to the second endpoint");

        // The stream dies: traffic keeps flowing on the config in hand, and the stream comes back.
        xds.KillAll();
        Assert.Equal("second", await UpstreamOf(client));
        Assert.True(await Eventually.TrueAsync(() => xds.StreamCount >= 2 && host.Server.Stats.Gauge("control_plane.connected_state").Value == 1));
        Assert.Equal("second", await UpstreamOf(client));

        // A bad cluster is rejected; traffic continues on the old config; a later good update is taken.
        var bad = XdsResources.EdsCluster("backend");
        bad.LbPolicy = (Cluster.Types.LbPolicy)77;
        xds.SetSnapshot(ClusterType, "c2", bad);
        Assert.True(await Eventually.TrueAsync(() => host.Counter("cluster_manager.cds.update_rejected") >= 1), host.NonZeroCounters());
        // The counter moves before the NACK reaches the server; wait for the NACK itself.
        Assert.True(
            await Eventually.TrueAsync(() => (xds.LastErrorDetail ?? string.Empty).Contains("lb_policy", StringComparison.Ordinal)),
            "NACK error_detail: " + xds.LastErrorDetail);
        Assert.Equal("second", await UpstreamOf(client));
        xds.SetSnapshot(RouteType, "r2", XdsResources.Route("local_route", "backend", prefixRewrite: "/rewritten"));
        Assert.True(await Eventually.TrueAsync(async () => await PathSeenBy(client, second) == "/rewritten"), "route update never applied");
    }

    private static async Task<string?> UpstreamOf(HttpClient client)
    {
        using var response = await client.GetAsync("/probe");
        return response.Headers.TryGetValues("x-upstream", out var values) ? values.Single() : null;
    }

    private static async Task<string?> PathSeenBy(HttpClient client, TestUpstream upstream)
    {
        using var response = await client.GetAsync("/probe");
        return upstream.Seen.LastOrDefault()?.Path;
    }
}
