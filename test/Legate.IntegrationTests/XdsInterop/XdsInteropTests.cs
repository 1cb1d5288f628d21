using System.Diagnostics;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.XdsInterop;

/// <summary>
/// Legate against an ADS management server that knows only the upstream Envoy protos (test/xds-interop/server.js):
/// what Legate sends and accepts on the wire must be what Envoy's own schema says.
/// </summary>
public sealed class XdsInteropTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ManagementServerWorksOnItsOwn()
    {
        // The server's own check (a Node client on the same protos): subscribe, ACK, NACK, update, stream close.
        var node = NodeTooling.Node();
        NodeTooling.RequireInstalled();
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = NodeTooling.InteropDirectory,
        };
        info.ArgumentList.Add(Path.Combine(NodeTooling.InteropDirectory, "check.js"));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, "check.js failed:\n" + await stdout + await stderr);
    }

    [Fact]
    public async Task AdsDeliversListenerRouteClusterAndEndpointsThenNacksABadListener()
    {
        await using var first = await TestUpstream.StartAsync("ads-first");
        await using var second = await TestUpstream.StartAsync("ads-second");
        using var dir = new TempDir();
        var listenerPort = Ports.ReserveAndRelease();
        var good = InteropResources.Set("v1",
            InteropResources.Listener(InteropResources.ListenerName, "127.0.0.1", listenerPort),
            InteropResources.Route(),
            InteropResources.Cluster(),
            InteropResources.Endpoints(first.Port));
        await using var xds = await NodeXdsServer.StartAsync(dir, good);
        await using var host = await LegateHost.StartAsync(InteropResources.Bootstrap(xds.Port));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = "http://127.0.0.1:" + listenerPort + "/through-ads";

        // Listener, route configuration, cluster and endpoints all came over ADS: the request reaches the upstream.
        Assert.True(await Eventually.TrueAsync(() => ReachesAsync(client, url, "ads-first"), Deadline),
            "no request reached the upstream through the ADS-delivered listener.\n" + Diagnostics(xds, host));
        foreach (var type in new[] { InteropResources.ListenerType, InteropResources.RouteType, InteropResources.ClusterType, InteropResources.EndpointType })
        {
            Assert.True(await Eventually.TrueAsync(() => Has(xds, e => e.Kind == "ACK" && e.TypeUrl == type && e.VersionInfo == "v1"), Deadline),
                "no ACK of v1 for " + type + ".\n" + Diagnostics(xds, host));
        }
        Assert.Contains(xds.Log(), e => e.Event == "request" && e.NodeId == "legate-interop");

        // A listener with a malformed address: NACKed with the previous version and the reason; traffic carries on.
        xds.Serve(InteropResources.Set("v2",
            InteropResources.Listener(InteropResources.ListenerName, "127.0.0.1", listenerPort),
            InteropResources.Listener("bad_listener", "not-an-ip", Ports.ReserveAndRelease()),
            InteropResources.Route(),
            InteropResources.Cluster(),
            InteropResources.Endpoints(first.Port)));
        Assert.True(await Eventually.TrueAsync(() => Has(xds, e => e.Kind == "NACK" && e.TypeUrl == InteropResources.ListenerType), Deadline),
            "the bad listener was not NACKed.\n" + Diagnostics(xds, host));
        var nack = Last(xds, e => e.Kind == "NACK" && e.TypeUrl == InteropResources.ListenerType);
        Assert.Equal("v1", nack.VersionInfo);
        Assert.Contains("not-an-ip", nack.ErrorMessage, StringComparison.Ordinal);
        Assert.True(await ReachesAsync(client, url, "ads-first"), "traffic stopped after the NACK.\n" + Diagnostics(xds, host));

        // A later good update is accepted and followed: the endpoints move to the second upstream.
        xds.Serve(InteropResources.Set("v3",
            InteropResources.Listener(InteropResources.ListenerName, "127.0.0.1", listenerPort),
            InteropResources.Route(),
            InteropResources.Cluster(),
            InteropResources.Endpoints(second.Port)));
        Assert.True(await Eventually.TrueAsync(() => ReachesAsync(client, url, "ads-second"), Deadline),
            "the v3 endpoints were not followed.\n" + Diagnostics(xds, host));
        Assert.True(await Eventually.TrueAsync(() => Has(xds, e => e.Kind == "ACK" && e.TypeUrl == InteropResources.EndpointType && e.VersionInfo == "v3"), Deadline),
            "no ACK of v3 endpoints.\n" + Diagnostics(xds, host));
    }

    private static async Task<bool> ReachesAsync(HttpClient client, string url, string upstream)
    {
        try
        {
            using var response = await client.GetAsync(url);
            return (int)response.StatusCode == 200
                && response.Headers.TryGetValues("x-upstream", out var names)
                && names.Contains(upstream);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static bool Has(NodeXdsServer xds, Func<XdsLogEntry, bool> match)
    {
        foreach (var entry in xds.Log())
        {
            if (entry.Event == "request" && match(entry))
            {
                return true;
            }
        }
        return false;
    }

    private static XdsLogEntry Last(NodeXdsServer xds, Func<XdsLogEntry, bool> match)
    {
        XdsLogEntry? last = null;
        foreach (var entry in xds.Log())
        {
            if (entry.Event == "request" && match(entry))
            {
                last = entry;
            }
        }
        return last ?? throw new InvalidOperationException("no matching request in the log");
    }

    private static string Diagnostics(NodeXdsServer xds, LegateHost host) =>
        "xDS server log:\n" + xds.LogText() + "\nxDS server output:\n" + xds.Output + "\nLegate counters:\n" + host.NonZeroCounters();
}
