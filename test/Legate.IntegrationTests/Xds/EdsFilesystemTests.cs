using System.Diagnostics;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Xds;

/// <summary>The seed's eds-filesystem demo on loopback: a static EDS cluster fed by a DiscoveryResponse file.</summary>
public sealed class EdsFilesystemTests
{
    private static string Eds(params int[] ports)
    {
        var text = "resources:\n- \"@type\": type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment\n  cluster_name: webcluster1\n  endpoints:\n  - lb_endpoints:\n";
        foreach (var port in ports)
        {
            text += "    - endpoint:\n        address:\n          socket_address:\n            address: 127.0.0.1\n            port_value: " + port + "\n";
        }
        return text;
    }

    // The seed's cluster, but with a 2 s connect timeout instead of its 0.25 s: what these tests check is the EDS
    // file's effect, and on a loaded 2-core CI machine a first connection to a new endpoint can miss 0.25 s.
    internal static string EdsCluster(string edsPath) => $"""
        name: webcluster1
        connect_timeout: 2s
        type: EDS
        lb_policy: ROUND_ROBIN
        eds_cluster_config:
          service_name: webcluster1
          eds_config:
            path: '{edsPath}'
        """;

    [Fact]
    public async Task SeedDemo_MoveOverEdsFile_AddsTheSecondEndpoint_WithoutRestart()
    {
        await using var web1 = await TestUpstream.StartAsync("webserver1");
        await using var web2 = await TestUpstream.StartAsync("webserver2");
        using var dir = new TempDir();
        var edsPath = dir.Write("eds.yaml", Eds(web1.Port));
        dir.Write("eds.v1.yaml", Eds(web1.Port, web2.Port));
        await using var host = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("webcluster1"), [EdsCluster(edsPath)]));
        var client = host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync("/hostname");
            Assert.Equal("webserver1", await UpstreamOfAsync(response, host));
        }
        var cluster = host.Server.ClusterManager.Get("webcluster1")!;
        var first = Assert.Single(cluster.PrioritySet.Hosts);
        Assert.Equal(3, first.Stats.RqTotal);

        // As in the seed: cp eds.v1.yaml eds.yaml (an in-place write: not picked up), then mv away and back.
        await Sh(dir.Path, "cp eds.v1.yaml eds.yaml && mv eds.yaml tmp.yaml && mv tmp.yaml eds.yaml");
        Assert.True(
            await Eventually.TrueAsync(() => cluster.PrioritySet.Hosts.Count == 2),
            "the second endpoint never arrived; counters:\n" + host.NonZeroCounters());

        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            var response = await client.GetAsync("/hostname");
            seen.Add(await UpstreamOfAsync(response, host));
        }
        Assert.Equal(["webserver1", "webserver2"], seen.Order());
        Assert.Same(host.Server.ClusterManager.Get("webcluster1"), cluster);
        var hosts = cluster.PrioritySet.Hosts;
        // The surviving host is the same object with its counters; the new one has its own.
        Assert.Contains(hosts, h => ReferenceEquals(h, first) && h.Stats.RqTotal == 5);
        Assert.Contains(hosts, h => h.EndPoint!.Port == web2.Port && h.Stats.RqTotal == 2);
        Assert.Equal(2, host.Counter("cluster.webcluster1.update_success"));
        Assert.Equal(2, host.Counter("cluster.webcluster1.update_attempt"));
    }

    [Fact]
    public async Task InvalidEdsUpdate_IsRejected_AndTheOldEndpointsKeepServing()
    {
        await using var web1 = await TestUpstream.StartAsync("webserver1");
        using var dir = new TempDir();
        var edsPath = dir.Write("eds.yaml", Eds(web1.Port));
        await using var host = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("webcluster1"), [EdsCluster(edsPath)]));
        var client = host.CreateClient();

        dir.Write("bad.yaml", Eds(web1.Port).Replace("127.0.0.1", "not-an-ip"));
        File.Move(dir.File("bad.yaml"), edsPath, overwrite: true);
        await host.AssertCounterAsync("cluster.webcluster1.update_rejected", 1);

        var response = await client.GetAsync("/");
        Assert.Equal("webserver1", response.Headers.GetValues("x-upstream").Single());
    }

    internal static async Task Sh(string dir, string command)
    {
        var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = dir, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, command + ": " + await process.StandardError.ReadToEndAsync());
    }

    /// <summary>Which test upstream answered; a local reply instead fails with its status, body and the counters.</summary>
    private static async Task<string> UpstreamOfAsync(HttpResponseMessage response, LegateHost host)
    {
        if (response.Headers.TryGetValues("x-upstream", out var values))
        {
            return values.Single();
        }
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"no upstream answered: {(int)response.StatusCode} \"{body}\"; counters:\n{host.NonZeroCounters()}");
        return string.Empty;
    }
}
