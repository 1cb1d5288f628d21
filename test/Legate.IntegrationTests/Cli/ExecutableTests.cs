using System.Globalization;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Legate.IntegrationTests.EchoProto;
using Legate.IntegrationTests.Support;
using Legate.IntegrationTests.Xds;
using Legate.IntegrationTests.XdsGrpc;
using Legate.IntegrationTests.XdsRest;

namespace Legate.IntegrationTests.Cli;

/// <summary>
/// The <c>legate</c> executable end to end, as a user runs it: static config with every kind of route, both
/// downstream codecs, gRPC, access logs and the admin endpoints; a proxy configured wholly over ADS; and one
/// whose clusters and endpoints are polled over REST while its listener comes from a watched file.
/// test.sh runs this class twice, against the JIT build and against the native AOT binary that
/// <c>dotnet publish</c> makes, so whatever native AOT trims or cannot compile shows up here.
/// </summary>
[Trait("Category", "Executable")]
public sealed class ExecutableTests
{
    [Fact]
    public async Task Static_config_serves_both_codecs_grpc_regex_routes_local_replies_access_logs_and_admin()
    {
        using var dir = new TempDir();
        await using var upstream = await TestUpstream.StartAsync("A");
        await using var grpcUpstream = await TestUpstream.StartAsync("G", UpstreamProtocol.Http2, grpc: true);
        var proxyPort = Ports.ReserveAndRelease();
        var adminPort = Ports.ReserveAndRelease();
        var accessLog = Path.Combine(dir.Path, "access.json");
        var config = dir.Write("legate.yaml", Admin(adminPort) + ConfigYaml.Bootstrap(
            """
            - name: all
              domains: ["*"]
              routes:
              - match: { safe_regex: { regex: "^/items/[0-9]+$" } }
                route: { cluster: a }
                response_headers_to_add:
                - header: { key: x-route, value: regex }
              - match: { prefix: "/legate.integration.echo.Echo/" }
                route: { cluster: g }
              - match: { path: "/direct" }
                direct_response: { status: 418, body: { inline_string: "short and stout" } }
            """,
            [ConfigYaml.StaticCluster("a", upstream.Port), ConfigYaml.StaticCluster("g", grpcUpstream.Port, ConfigYaml.H2ProtocolOptions)],
            hcmExtra: $$"""
                access_log:
                - name: envoy.access_loggers.file
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                    path: {{accessLog}}
                    log_format:
                      json_format: { code: "%RESPONSE_CODE%", path: "%REQ(:PATH)%", flags: "%RESPONSE_FLAGS%" }
                """,
            port: proxyPort));
        await using var legate = await StartAsync(config, proxyPort);
        using var client = Loopback(proxyPort);

        using var h1 = await client.GetAsync("/items/42");
        Assert.Equal(HttpStatusCode.OK, h1.StatusCode);
        Assert.Equal("A", (await EchoReply.ReadAsync(h1)).Upstream);
        Assert.Equal("regex", h1.Headers.GetValues("x-route").Single());

        using var h2Request = new HttpRequestMessage(HttpMethod.Get, "/items/7") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var h2 = await client.SendAsync(h2Request);
        Assert.Equal(HttpStatusCode.OK, h2.StatusCode);
        Assert.Equal(HttpVersion.Version20, h2.Version);

        using var noRoute = await client.GetAsync("/items/seven");
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
        using var direct = await client.GetAsync("/direct");
        Assert.Equal((HttpStatusCode)418, direct.StatusCode);
        Assert.Equal("short and stout", await direct.Content.ReadAsStringAsync());

        using (var channel = GrpcChannel.ForAddress(client.BaseAddress!, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false }, DisposeHttpClient = true }))
        {
            using var call = new Echo.EchoClient(channel).SayAsync(new GrpcRequest { Text = "native" });
            Assert.Equal("native", (await call.ResponseAsync).Text);
            Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
            Assert.Equal("said", call.GetTrailers().GetValue("x-echo-trailer"));
        }

        using var admin = Loopback(adminPort);
        // The config dump prints every Any with its type resolved by name: the reflection native AOT must keep.
        var dump = await admin.GetStringAsync("/config_dump");
        Assert.Contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\"", dump, StringComparison.Ordinal);
        Assert.Contains("\"@type\": \"type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog\"", dump, StringComparison.Ordinal);
        Assert.Contains("\"regex\": \"^/items/[0-9]+$\"", dump, StringComparison.Ordinal);
        var prometheus = await admin.GetStringAsync("/stats/prometheus");
        Assert.Contains("\nenvoy_cluster_upstream_rq_total{envoy_cluster_name=\"a\"} 2\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("\nenvoy_cluster_upstream_rq_total{envoy_cluster_name=\"g\"} 1\n", prometheus, StringComparison.Ordinal);
        using (var stats = JsonDocument.Parse(await admin.GetStringAsync("/stats?format=json&filter=^http\\.ingress_http\\.downstream_rq_4xx$")))
        {
            var stat = stats.RootElement.GetProperty("stats").EnumerateArray().Single();
            Assert.Equal(2, stat.GetProperty("value").GetInt64());
        }
        using (var info = JsonDocument.Parse(await admin.GetStringAsync("/server_info")))
        {
            Assert.Equal("LIVE", info.RootElement.GetProperty("state").GetString());
        }

        // Access logs are flushed asynchronously.
        Assert.True(await Eventually.TrueAsync(() => AccessLogTests.ReadLines(accessLog).Length >= 5), "access log has: " + string.Join("\n", AccessLogTests.ReadLines(accessLog)));
        var lines = AccessLogTests.ReadLines(accessLog);
        var logged = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(logged, e => e.GetProperty("path").GetString() == "/items/seven" && e.GetProperty("code").GetInt32() == 404 && e.GetProperty("flags").GetString() == "NR");
        Assert.Contains(logged, e => e.GetProperty("path").GetString() == "/legate.integration.echo.Echo/Say" && e.GetProperty("code").GetInt32() == 200);
    }

    [Fact]
    public async Task Ads_configures_listener_route_and_cluster_and_a_bad_cluster_is_rejected_while_traffic_goes_on()
    {
        await using var upstream = await TestUpstream.StartAsync("A");
        await using var xds = await ManagementServer.StartAsync();
        var proxyPort = Ports.ReserveAndRelease();
        var adminPort = Ports.ReserveAndRelease();
        xds.SetSnapshot(XdsClientHarness.ClusterType, "c1", XdsResources.EdsCluster("backend"));
        xds.SetSnapshot(XdsClientHarness.EndpointType, "e1", XdsClientHarness.Endpoints("backend", upstream.Port));
        xds.SetSnapshot(XdsClientHarness.ListenerType, "l1", XdsResources.Listener("from_ads", "ads_route", proxyPort));
        xds.SetSnapshot(XdsClientHarness.RouteType, "r1", XdsResources.Route("ads_route", "backend"));
        using var dir = new TempDir();
        var config = dir.Write("legate.yaml", Admin(adminPort) + XdsResources.AdsBootstrap(xds.Port, "GRPC"));

        await using var legate = await StartAsync(config, proxyPort);
        using var client = Loopback(proxyPort);
        using var admin = Loopback(adminPort);
        using (var first = await client.GetAsync("/hello"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("A", (await EchoReply.ReadAsync(first)).Upstream);
        }

        var bad = XdsResources.EdsCluster("backend");
        bad.LbPolicy = (Envoy.Config.Cluster.V3.Cluster.Types.LbPolicy)77;
        xds.SetSnapshot(XdsClientHarness.ClusterType, "c2", bad);
        Assert.True(await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/stats?filter=cds.update_rejected")).Contains("cluster_manager.cds.update_rejected: 1", StringComparison.Ordinal)),
            await admin.GetStringAsync("/stats?filter=cds"));
        // The NACK reaches the server after the proxy counts the rejection.
        Assert.True(await Eventually.TrueAsync(() => xds.LastErrorDetail?.Contains("lb_policy", StringComparison.Ordinal) == true), xds.LastErrorDetail);
        using (var after = await client.GetAsync("/hello"))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        var dump = await admin.GetStringAsync("/config_dump?resource=dynamic_listeners");
        Assert.Contains("\"name\": \"from_ads\"", dump, StringComparison.Ordinal);
        Assert.Contains("\"version_info\": \"l1\"", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_cds_and_eds_with_lds_from_a_file_follow_updates_and_keep_serving_through_a_bad_file()
    {
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var xds = await RestManagementServer.StartAsync();
        xds.Set(RestXdsTests.ClustersPath, RestXdsTests.ClusterType, "c1", RestXdsTests.EdsCluster("web"));
        xds.Set(RestXdsTests.EndpointsPath, RestXdsTests.ClaType, "e1", RestXdsTests.Assignment("web", "127.0.0.1", a.Port));
        using var dir = new TempDir();
        var proxyPort = Ports.ReserveAndRelease();
        var adminPort = Ports.ReserveAndRelease();
        var lds = dir.Write("lds.yaml", "version_info: \"1\"\nresources:\n" + DynamicFilesTests.Listener("from_file", proxyPort, "web"));
        var config = dir.Write("legate.yaml", Admin(adminPort) + $$"""
            node: { id: native-rest, cluster: native }
            dynamic_resources:
              lds_config: { path: '{{lds}}' }
              cds_config:
                api_config_source: { api_type: REST, cluster_names: [xds_cluster], refresh_delay: 0.1s, request_timeout: 2s }
            static_resources:
              clusters:
              - name: xds_cluster
                type: STATIC
                load_assignment:
                  cluster_name: xds_cluster
                  endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: {{xds.Port}} } } } }] }]
            """);

        await using var legate = await StartAsync(config, proxyPort);
        using var client = Loopback(proxyPort);
        using var admin = Loopback(adminPort);
        Assert.Equal("a", await RestXdsTests.UpstreamOf(client));
        // The poll is a DiscoveryRequest printed as JSON through the generated descriptors.
        Assert.Equal("native-rest", xds.RequestsFor(RestXdsTests.ClustersPath)[0].Node.Id);

        xds.Set(RestXdsTests.EndpointsPath, RestXdsTests.ClaType, "e2", RestXdsTests.Assignment("web", "127.0.0.1", b.Port));
        Assert.True(await Eventually.TrueAsync(async () => await RestXdsTests.UpstreamOf(client) == "b"), "the EDS update never moved traffic");

        DynamicFilesTests.MoveInto(dir, "lds.yaml", "version_info: \"2\"\nresources:\n"
            + DynamicFilesTests.Listener("from_file", proxyPort, "web").Replace("address: 127.0.0.1", "address: not-an-ip", StringComparison.Ordinal));
        Assert.True(await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/stats?filter=lds.update_rejected")).Contains("listener_manager.lds.update_rejected: 1", StringComparison.Ordinal)),
            await admin.GetStringAsync("/stats?filter=lds"));
        Assert.Equal("b", await RestXdsTests.UpstreamOf(client));
    }

    private static HttpClient Loopback(int port) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)) };

    private static string Admin(int port) =>
        "admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: " + port.ToString(CultureInfo.InvariantCulture) + " }\n";

    private static async Task<LegateProcess> StartAsync(string configPath, int proxyPort)
    {
        var legate = LegateProcess.Start("-c", configPath, "--drain-time-s", "1");
        if (!await Ports.WaitUntilListeningAsync(proxyPort, TimeSpan.FromSeconds(40), () => legate.HasExited))
        {
            await legate.DisposeAsync();
            Assert.Fail("the listener never opened\n" + legate.Stderr);
        }
        return legate;
    }
}
