using System.Net;
using System.Net.Sockets;
using Legate.Stats;
using Legate.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

/// <summary>The cluster's HTTP client against real loopback Kestrel upstreams.</summary>
public sealed class UpstreamConnectionTests : IAsyncLifetime
{
    private WebApplication? _h1;
    private WebApplication? _h2;
    private int _h1Port;
    private int _h2Port;

    public async Task InitializeAsync()
    {
        (_h1, _h1Port) = await StartUpstreamAsync(HttpProtocols.Http1);
        (_h2, _h2Port) = await StartUpstreamAsync(HttpProtocols.Http2);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _h1, _h2 })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Http1ConnectionsAreCountedPerClusterAndHost()
    {
        var stats = new StatsStore();
        var manager = Manager(stats);
        var cluster = manager.AddOrUpdateCluster(Static("h1", "ROUND_ROBIN", Ep("127.0.0.1", port: _h1Port)), "c");
        var host = cluster.PrioritySet.Hosts[0];

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("HTTP/1.1", await SendAsync(cluster, host));
        }

        Assert.Equal(1, stats.Counter("cluster.h1.upstream_cx_total").Value);
        Assert.Equal(1, stats.Counter("cluster.h1.upstream_cx_http1_total").Value);
        Assert.Equal(1, stats.Gauge("cluster.h1.upstream_cx_active").Value);
        Assert.True(stats.Counter("cluster.h1.upstream_cx_rx_bytes_total").Value > 0);
        Assert.True(stats.Counter("cluster.h1.upstream_cx_tx_bytes_total").Value > 0);
        Assert.Equal(1, host.Stats.CxTotal);
        Assert.Equal(1, host.Stats.CxActive);

        // Disposing the client closes the pooled connection, which ends its life in the stats.
        manager.Dispose();
        Assert.Equal(0, stats.Gauge("cluster.h1.upstream_cx_active").Value);
        Assert.Equal(1, stats.Counter("cluster.h1.upstream_cx_destroy").Value);
        Assert.Equal(0, host.Stats.CxActive);
    }

    [Fact]
    public async Task Http2ClusterSpeaksH2cWithPriorKnowledge()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var config = Static("h2", "ROUND_ROBIN", Ep("127.0.0.1", port: _h2Port));
        config.Http2ProtocolOptions = new();
        var cluster = manager.AddOrUpdateCluster(config, "c");
        var host = cluster.PrioritySet.Hosts[0];

        var requests = new Task<string>[10];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = SendAsync(cluster, host);
        }
        Assert.All(await Task.WhenAll(requests), p => Assert.Equal("HTTP/2", p));
        Assert.Equal(stats.Counter("cluster.h2.upstream_cx_total").Value, stats.Counter("cluster.h2.upstream_cx_http2_total").Value);
        Assert.Equal(0, stats.Counter("cluster.h2.upstream_cx_http1_total").Value);
    }

    [Fact]
    public async Task RefusedConnectionCountsAConnectFailure()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var cluster = manager.AddOrUpdateCluster(Static("dead", "ROUND_ROBIN", Ep("127.0.0.1", port: ClosedPort())), "c");
        var host = cluster.PrioritySet.Hosts[0];

        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(cluster, host));

        Assert.Equal(1, stats.Counter("cluster.dead.upstream_cx_connect_fail").Value);
        Assert.Equal(0, stats.Counter("cluster.dead.upstream_cx_connect_timeout").Value);
        Assert.Equal(0, stats.Gauge("cluster.dead.upstream_cx_active").Value);
        Assert.Equal(1, host.Stats.CxConnectFail);
        Assert.Equal(0, host.Stats.CxActive);
    }

    private static async Task<string> SendAsync(UpstreamCluster cluster, Host host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.DestinationPrefix + "/hello")
        {
            Version = cluster.Version,
            VersionPolicy = cluster.VersionPolicy,
        };
        using var response = await cluster.Invoker.SendAsync(request, CancellationToken.None);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<(WebApplication App, int Port)> StartUpstreamAsync(HttpProtocols protocols)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Request.Protocol));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address).Port);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
