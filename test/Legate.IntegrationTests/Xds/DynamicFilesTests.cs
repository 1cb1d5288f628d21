using System.Globalization;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Xds;

/// <summary>CDS, RDS and LDS from DiscoveryResponse files, changed by moving a new file into place.</summary>
public sealed class DynamicFilesTests
{
    private const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private const string RouteType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private const string ListenerType = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Cds(string version, params (string Name, int Port)[] clusters)
    {
        var text = "version_info: \"" + version + "\"\nresources:\n";
        foreach (var (name, port) in clusters)
        {
            text += "- \"@type\": " + ClusterType + "\n" + ConfigYaml.Indent(ConfigYaml.StaticCluster(name, port), 2);
        }
        return text;
    }

    private static string Rds(string version, string cluster) => "version_info: \"" + version + "\"\nresources:\n- \"@type\": " + RouteType + "\n"
        + "  name: dynamic_route\n  virtual_hosts:\n  - name: all\n    domains: [\"*\"]\n    routes:\n    - match: { prefix: \"/\" }\n      route: { cluster: " + cluster + " }\n";

    internal static string Listener(string name, int port, string cluster) => "- \"@type\": " + ListenerType + "\n" + $$"""
          name: {{name}}
          address: { socket_address: { address: 127.0.0.1, port_value: {{Port(port)}} } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: {{name}}
                http_filters:
                - name: envoy.filters.http.router
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: "/" }
                      route: { cluster: {{cluster}} }

        """;

    internal static void MoveInto(TempDir dir, string name, string content)
    {
        var staged = dir.Write(name + ".tmp", content);
        File.Move(staged, dir.File(name), overwrite: true);
    }

    private static string RdsBootstrap(string rdsPath, string cdsPath) => $$"""
        dynamic_resources:
          cds_config:
            path_config_source: { path: '{{cdsPath}}' }
        static_resources:
          listeners:
          - name: listener_0
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress_http
                  rds:
                    route_config_name: dynamic_route
                    config_source:
                      path: '{{rdsPath}}'
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
        """;

    [Fact]
    public async Task CdsAndRdsFromFiles_RouteChangeMovesTraffic_BadUpdatesKeepTheOldConfig()
    {
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        using var dir = new TempDir();
        var cds = dir.Write("cds.yaml", Cds("1", ("cluster_a", a.Port), ("cluster_b", b.Port)));
        var rds = dir.Write("rds.yaml", Rds("r1", "cluster_a"));
        await using var host = await LegateHost.StartAsync(RdsBootstrap(rds, cds));
        var client = host.CreateClient();

        Assert.Equal("a", (await client.GetAsync("/")).Headers.GetValues("x-upstream").Single());
        Assert.True(host.Server.ClusterManager.Get("cluster_a")!.AddedViaApi);
        Assert.Equal(2, host.Counter("cluster_manager.cluster_added"));
        Assert.Equal(1, host.Counter("cluster_manager.cds.update_success"));
        Assert.Equal(1, host.Counter("http.ingress_http.rds.dynamic_route.update_success"));

        // An in-flight request on the old route finishes while the route changes.
        var held = client.GetAsync("/hold");
        Assert.True(await Eventually.TrueAsync(() => a.HeldNow == 1));
        MoveInto(dir, "rds.yaml", Rds("r2", "cluster_b"));
        Assert.True(await Eventually.TrueAsync(async () =>
            (await client.GetAsync("/")).Headers.GetValues("x-upstream").Single() == "b"), "route change not applied");
        a.ReleaseHeld();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await held).StatusCode);
        Assert.Equal("r2", host.Server.Stats.TextReadout("http.ingress_http.rds.dynamic_route.version_text").Value);

        // Malformed RDS file: failure counted, old routes serve.
        MoveInto(dir, "rds.yaml", Rds("r3", "cluster_a").Replace("{ prefix: \"/\" }", "{ prefix: [ }"));
        await host.AssertCounterAsync("http.ingress_http.rds.dynamic_route.update_failure", 1);
        Assert.Equal("b", (await client.GetAsync("/")).Headers.GetValues("x-upstream").Single());

        // A cluster that fails validation rejects the whole CDS update; both clusters stay.
        MoveInto(dir, "cds.yaml", Cds("2", ("cluster_a", a.Port)).Replace("ROUND_ROBIN", "ROUND_ROBINN") + "- \"@type\": " + ClusterType + "\n  name: cluster_c\n  type: STATIC\n");
        Assert.True(await Eventually.TrueAsync(() =>
            host.Counter("cluster_manager.cds.update_rejected") + host.Counter("cluster_manager.cds.update_failure") == 1));
        Assert.NotNull(host.Server.ClusterManager.Get("cluster_b"));

        // A good CDS update without cluster_b removes it; the route to it then has no cluster. The version is
        // recorded last, once the update has been applied (the removal comes before it).
        MoveInto(dir, "cds.yaml", Cds("3", ("cluster_a", a.Port)));
        Assert.True(await Eventually.TrueAsync(() => host.Server.Xds.Cds!.VersionInfo == "3"), "CDS version 3 not applied");
        Assert.Null(host.Server.ClusterManager.Get("cluster_b"));
        Assert.Equal(1, host.Counter("cluster_manager.cluster_removed"));
        Assert.Equal(503, (int)(await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task CdsRejectsAnInvalidClusterWithItsResourcePath()
    {
        using var dir = new TempDir();
        var cds = dir.Write("cds.yaml", Cds("1", ("cluster_a", 1)));
        var rds = dir.Write("rds.yaml", Rds("r1", "cluster_a"));
        await using var host = await LegateHost.StartAsync(RdsBootstrap(rds, cds));

        MoveInto(dir, "cds.yaml", Cds("3", ("cluster_a", 1)).Replace("address: 127.0.0.1", "address: not-an-ip"));
        await host.AssertCounterAsync("cluster_manager.cds.update_rejected", 1);
        Assert.Equal("127.0.0.1", host.Server.ClusterManager.Get("cluster_a")!.PrioritySet.Hosts[0].EndPoint!.Address.ToString());
    }

    [Fact]
    public async Task LdsFromAFile_AddingAListenerOpensItsPort_RemovingItClosesIt()
    {
        await using var a = await TestUpstream.StartAsync("a");
        using var dir = new TempDir();
        var first = Ports.ReserveAndRelease();
        var second = Ports.ReserveAndRelease();
        var lds = dir.Write("lds.yaml", "version_info: \"1\"\nresources:\n" + Listener("lds_1", first, "cluster_a"));
        var yaml = "dynamic_resources:\n  lds_config:\n    path: '" + lds + "'\nstatic_resources:\n  clusters:\n"
            + ConfigYaml.Indent("- " + ConfigYaml.StaticCluster("cluster_a", a.Port).TrimEnd('\n').Replace("\n", "\n  "), 2);
        await using var host = await LegateHost.StartAsync(yaml);

        using var http = new HttpClient();
        var reply = await http.GetAsync("http://127.0.0.1:" + Port(first) + "/");
        Assert.Equal("a", reply.Headers.GetValues("x-upstream").Single());
        Assert.Equal(1, host.Counter("listener_manager.listener_added"));

        MoveInto(dir, "lds.yaml", "version_info: \"2\"\nresources:\n" + Listener("lds_1", first, "cluster_a") + Listener("lds_2", second, "cluster_a"));
        Assert.True(await Ports.WaitUntilListeningAsync(second, TimeSpan.FromSeconds(10)), "the added listener never opened its port");
        Assert.Equal("a", (await http.GetAsync("http://127.0.0.1:" + Port(second) + "/")).Headers.GetValues("x-upstream").Single());

        MoveInto(dir, "lds.yaml", "version_info: \"3\"\nresources:\n" + Listener("lds_2", second, "cluster_a"));
        Assert.True(await Eventually.TrueAsync(async () => !await Ports.AcceptsConnectionsAsync(first)), "the removed listener's port stayed open");
        await host.AssertCounterAsync("listener_manager.listener_removed", 1);
        Assert.True(await Ports.AcceptsConnectionsAsync(second));
        Assert.Equal("3", host.Server.Xds.Lds!.VersionInfo);
    }
}
