using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.TcpProxy;

/// <summary>
/// envoy.filters.network.tcp_proxy end to end: real client sockets through the listener to raw TCP
/// upstreams started by the test; bytes, half-close, Envoy's failure flags and stats.
/// </summary>
public sealed class TcpProxyTests
{
    private const string LogFormat = "%UPSTREAM_HOST% %UPSTREAM_CLUSTER% %BYTES_RECEIVED% %BYTES_SENT% %RESPONSE_FLAGS% %PROTOCOL%\\n";

    [Fact]
    public async Task Bytes_go_both_ways_and_are_counted_and_logged()
    {
        await using var upstream = TcpTestUpstream.Echo();
        using var dir = new TempDir();
        var log = dir.File("tcp.log");
        await using var legate = await StartAsync("stat_prefix: tcp_echo\ncluster: echo\n" + AccessLog(log), Cluster("echo", upstream.Port));

        using (var client = await TcpTestClient.ConnectAsync(legate.Port))
        {
            await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            Assert.Equal("hello", Encoding.ASCII.GetString(await TcpTestClient.ReadExactlyAsync(client, 5)));
            await client.SendAsync("world!"u8.ToArray(), SocketFlags.None);
            Assert.Equal("world!", Encoding.ASCII.GetString(await TcpTestClient.ReadExactlyAsync(client, 6)));
            client.Shutdown(SocketShutdown.Send);
            Assert.Empty(await TcpTestClient.ReadToEndAsync(client));
        }

        var line = await SingleLogLineAsync(log);
        Assert.Equal("127.0.0.1:" + upstream.Port.ToString(CultureInfo.InvariantCulture) + " echo 11 11 - -", line);
        Assert.Equal(1, legate.Counter("tcp.tcp_echo.downstream_cx_total"));
        Assert.Equal(11, legate.Counter("tcp.tcp_echo.downstream_cx_rx_bytes_total"));
        Assert.Equal(11, legate.Counter("tcp.tcp_echo.downstream_cx_tx_bytes_total"));
        Assert.Equal(1, legate.Counter("cluster.echo.upstream_cx_total"));
        Assert.Equal(11, legate.Counter("cluster.echo.upstream_cx_tx_bytes_total"));
        Assert.Equal(11, legate.Counter("cluster.echo.upstream_cx_rx_bytes_total"));
        Assert.Equal(0, legate.Counter("cluster.echo.upstream_cx_http1_total"));
        await legate.AssertCounterAsync("cluster.echo.upstream_cx_destroy", 1);
        Assert.Equal(0, legate.Server.Stats.Gauge("cluster.echo.upstream_cx_active").Value);
    }

    [Fact]
    public async Task A_downstream_half_close_reaches_the_upstream_and_its_answer_still_comes_back()
    {
        // The upstream answers only once it has read the client's FIN.
        await using var upstream = TcpTestUpstream.Start(async socket =>
        {
            var request = await TcpTestClient.ReadToEndAsync(socket);
            await socket.SendAsync(Encoding.ASCII.GetBytes("got:" + Encoding.ASCII.GetString(request)), SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
        });
        await using var legate = await StartAsync("stat_prefix: tcp_half\ncluster: half\n", Cluster("half", upstream.Port));

        using var client = await TcpTestClient.ConnectAsync(legate.Port);
        await client.SendAsync("abc"u8.ToArray(), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("got:abc", Encoding.ASCII.GetString(await TcpTestClient.ReadToEndAsync(client)));
    }

    [Fact]
    public async Task A_server_that_speaks_first_is_relayed_before_the_client_sends_anything()
    {
        await using var upstream = TcpTestUpstream.Banner("220 ready\r\n");
        await using var legate = await StartAsync("stat_prefix: tcp_banner\ncluster: banner\n", Cluster("banner", upstream.Port));

        using var client = await TcpTestClient.ConnectAsync(legate.Port);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var banner = await TcpTestClient.ReadExactlyAsync(client, 11);
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        Assert.Equal("220 ready\r\n", Encoding.ASCII.GetString(banner));
        // An HTTP listener peeks at the first bytes for up to 1 s to choose the connection's scheduling; a
        // tcp_proxy listener must not, or every server-first protocol would start a second late.
        Assert.True(waited < TimeSpan.FromMilliseconds(900), "the banner took " + waited.TotalMilliseconds + " ms");
        client.Shutdown(SocketShutdown.Send);
        Assert.Empty(await TcpTestClient.ReadToEndAsync(client));
    }

    [Fact]
    public async Task Megabytes_both_ways_arrive_intact()
    {
        await using var upstream = TcpTestUpstream.Echo();
        await using var legate = await StartAsync("stat_prefix: tcp_bulk\ncluster: bulk\n", Cluster("bulk", upstream.Port));
        var payload = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);

        using var client = await TcpTestClient.ConnectAsync(legate.Port);
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 64 * 1024)
            {
                await client.SendAsync(payload.AsMemory(offset, Math.Min(64 * 1024, payload.Length - offset)), SocketFlags.None);
            }
            client.Shutdown(SocketShutdown.Send);
        });
        var echoed = await TcpTestClient.ReadToEndAsync(client, TimeSpan.FromSeconds(30));
        await sending;

        Assert.Equal(payload.Length, echoed.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
        await legate.AssertCounterAsync("tcp.tcp_bulk.downstream_cx_tx_bytes_total", payload.Length);
    }

    [Fact]
    public async Task Weighted_clusters_spread_connections_over_both()
    {
        await using var a = TcpTestUpstream.Banner("a");
        await using var b = TcpTestUpstream.Banner("b");
        var proxy = """
            stat_prefix: tcp_weighted
            weighted_clusters:
              clusters:
              - { name: a, weight: 1 }
              - { name: b, weight: 1 }
            """;
        await using var legate = await StartAsync(proxy, Cluster("a", a.Port), Cluster("b", b.Port));

        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            using var client = await TcpTestClient.ConnectAsync(legate.Port);
            client.Shutdown(SocketShutdown.Send);
            seen.Add(Encoding.ASCII.GetString(await TcpTestClient.ReadToEndAsync(client)));
        }

        Assert.Equal(new[] { "a", "b" }, seen.Order());
        Assert.Equal(40, legate.Counter("cluster.a.upstream_cx_total") + legate.Counter("cluster.b.upstream_cx_total"));
    }

    [Fact]
    public async Task An_unknown_cluster_closes_the_connection_with_NC()
    {
        using var dir = new TempDir();
        var log = dir.File("tcp.log");
        await using var legate = await StartAsync("stat_prefix: tcp_nc\ncluster: missing\n" + AccessLog(log));

        using var client = await TcpTestClient.ConnectAsync(legate.Port);

        Assert.Empty(await TcpTestClient.ReadToEndAsync(client));
        Assert.Equal("- - 0 0 NC -", await SingleLogLineAsync(log));
        Assert.Equal(1, legate.Counter("tcp.tcp_nc.downstream_cx_no_route"));
    }

    [Fact]
    public async Task A_refused_connect_is_tried_max_connect_attempts_times_then_closed_with_UF_URX()
    {
        using var dir = new TempDir();
        var log = dir.File("tcp.log");
        var closedPort = Ports.ReserveAndRelease();
        await using var legate = await StartAsync("stat_prefix: tcp_uf\ncluster: down\nmax_connect_attempts: 3\n" + AccessLog(log), Cluster("down", closedPort));

        using var client = await TcpTestClient.ConnectAsync(legate.Port);

        Assert.Empty(await TcpTestClient.ReadToEndAsync(client));
        Assert.Equal("127.0.0.1:" + closedPort.ToString(CultureInfo.InvariantCulture) + " down 0 0 UF,URX -", await SingleLogLineAsync(log));
        Assert.Equal(3, legate.Counter("cluster.down.upstream_cx_connect_fail"));
        Assert.Equal(1, legate.Counter("cluster.down.upstream_cx_connect_attempts_exceeded"));
    }

    [Fact]
    public async Task Past_max_connections_a_connection_is_closed_with_UO()
    {
        await using var upstream = TcpTestUpstream.Echo();
        using var dir = new TempDir();
        var log = dir.File("tcp.log");
        var breakers = "circuit_breakers:\n  thresholds:\n  - max_connections: 1\n";
        await using var legate = await StartAsync("stat_prefix: tcp_uo\ncluster: one\n" + AccessLog(log), Cluster("one", upstream.Port, breakers));

        using var first = await TcpTestClient.ConnectAsync(legate.Port);
        await first.SendAsync("x"u8.ToArray(), SocketFlags.None);
        await TcpTestClient.ReadExactlyAsync(first, 1);
        using var second = await TcpTestClient.ConnectAsync(legate.Port);

        Assert.Empty(await TcpTestClient.ReadToEndAsync(second));
        Assert.Equal("- one 0 0 UO -", await SingleLogLineAsync(log));
        Assert.Equal(1, legate.Counter("cluster.one.upstream_cx_overflow"));
        // The first connection still works.
        await first.SendAsync("y"u8.ToArray(), SocketFlags.None);
        Assert.Equal("y", Encoding.ASCII.GetString(await TcpTestClient.ReadExactlyAsync(first, 1)));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_idle_timeout()
    {
        await using var upstream = TcpTestUpstream.Echo();
        await using var legate = await StartAsync("stat_prefix: tcp_idle\ncluster: echo\nidle_timeout: 0.5s\n", Cluster("echo", upstream.Port));

        using var client = await TcpTestClient.ConnectAsync(legate.Port);
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ping", Encoding.ASCII.GetString(await TcpTestClient.ReadExactlyAsync(client, 4)));

        Assert.Empty(await TcpTestClient.ReadToEndAsync(client));
        await legate.AssertCounterAsync("tcp.tcp_idle.idle_timeout", 1);
        await legate.AssertCounterAsync("cluster.echo.upstream_cx_destroy", 1);
    }

    [Fact]
    public async Task A_connection_is_closed_at_max_downstream_connection_duration_with_DT()
    {
        await using var upstream = TcpTestUpstream.Echo();
        using var dir = new TempDir();
        var log = dir.File("tcp.log");
        await using var legate = await StartAsync(
            "stat_prefix: tcp_dt\ncluster: echo\nmax_downstream_connection_duration: 0.5s\n" + AccessLog(log), Cluster("echo", upstream.Port));

        using var client = await TcpTestClient.ConnectAsync(legate.Port);
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);

        Assert.Equal("ping", Encoding.ASCII.GetString(await TcpTestClient.ReadToEndAsync(client)));
        Assert.EndsWith(" echo 4 4 DT -", await SingleLogLineAsync(log));
        Assert.Equal(1, legate.Counter("tcp.tcp_dt.max_downstream_connection_duration"));
    }

    [Fact]
    public async Task On_downstream_data_connects_only_once_the_client_has_sent_something()
    {
        await using var upstream = TcpTestUpstream.Echo();
        using var dir = new TempDir();
        var log = dir.File("tcp.log");
        await using var legate = await StartAsync(
            "stat_prefix: tcp_lazy\ncluster: echo\nupstream_connect_mode: ON_DOWNSTREAM_DATA\n" + AccessLog(log), Cluster("echo", upstream.Port));

        using (var silent = await TcpTestClient.ConnectAsync(legate.Port))
        {
            silent.Shutdown(SocketShutdown.Send);
            Assert.Empty(await TcpTestClient.ReadToEndAsync(silent));
        }
        await SingleLogLineAsync(log);
        Assert.Equal(0, legate.Counter("cluster.echo.upstream_cx_total"));

        using var talker = await TcpTestClient.ConnectAsync(legate.Port);
        await talker.SendAsync("hi"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hi", Encoding.ASCII.GetString(await TcpTestClient.ReadExactlyAsync(talker, 2)));
        Assert.Equal(1, legate.Counter("cluster.echo.upstream_cx_total"));
    }

    [Fact]
    public async Task The_bundled_example_relays_http_to_its_own_backend_listener()
    {
        var front = Ports.ReserveAndRelease();
        var back = Ports.ReserveAndRelease();
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "tcp_proxy.yaml"))
            .Replace("port_value: 9901", "port_value: 0", StringComparison.Ordinal)
            .Replace("port_value: 10010", "port_value: " + front.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("port_value: 10011", "port_value: " + back.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var legate = await LegateHost.StartAsync(yaml);
        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + legate.PortOf("tcp_front").ToString(CultureInfo.InvariantCulture)) };

        Assert.Equal("hello through tcp_proxy\n", await client.GetStringAsync("/"));
        Assert.Equal(1, legate.Counter("tcp.tcp_front.downstream_cx_total"));
    }

    [Theory]
    [InlineData("stat_prefix: p\n", "", "one of cluster or weighted_clusters must be set")]
    [InlineData("cluster: c\n", ".stat_prefix", "value length must be at least 1 characters")]
    [InlineData("stat_prefix: p\nweighted_clusters: { clusters: [ { name: c, weight: 0 } ] }\n", ".weighted_clusters.clusters[0].weight", "value 0 must be greater than or equal to 1")]
    [InlineData("stat_prefix: p\ncluster: c\nidle_timeout: -1s\n", ".idle_timeout", "value -1s must be greater than or equal to 0s")]
    [InlineData("stat_prefix: p\ncluster: c\nmax_connect_attempts: 0\n", ".max_connect_attempts", "value 0 must be greater than or equal to 1")]
    [InlineData("stat_prefix: p\ncluster: c\ntunneling_config: { hostname: h }\n", ".tunneling_config", "tunneling TCP over HTTP is not supported yet")]
    [InlineData("stat_prefix: p\ncluster: c\nbackoff_options: { base_interval: 2s, max_interval: 1s }\n", ".backoff_options.max_interval", "max_interval 1s must be greater than or equal to the base_interval 2s")]
    public async Task Bad_configs_are_rejected_with_the_field_path(string proxy, string field, string detail)
    {
        var error = await Assert.ThrowsAsync<Legate.Config.ConfigException>(() => LegateHost.StartAsync(ConfigYaml.TcpProxyBootstrap(proxy, [])));

        Assert.Equal("static_resources.listeners[0].filter_chains[0].filters[0].typed_config" + field + ": " + detail, error.Message);
    }

    private static Task<LegateHost> StartAsync(string tcpProxy, params string[] clusters) =>
        LegateHost.StartAsync(ConfigYaml.TcpProxyBootstrap(tcpProxy, clusters), fileFlushInterval: TimeSpan.FromMilliseconds(50));

    private static string Cluster(string name, int port, string extra = "") => ConfigYaml.StaticCluster(name, port, extra);

    private static string AccessLog(string path) => $$"""
        access_log:
        - name: envoy.access_loggers.file
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: "{{path}}"
            log_format: { text_format_source: { inline_string: "{{LogFormat}}" } }

        """;

    /// <summary>The one line the access log gets when the connection ends (written by the file logger's flush).</summary>
    private static async Task<string> SingleLogLineAsync(string path)
    {
        string[] Lines() => File.Exists(path) ? File.ReadAllLines(path) : [];
        Assert.True(await Eventually.TrueAsync(() => Lines().Length >= 1), "no access log line");
        return Assert.Single(Lines());
    }
}
