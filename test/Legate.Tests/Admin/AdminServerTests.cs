using Envoy.Admin.V3;
using Google.Protobuf;
using Legate.Admin;
using Legate.Config;

namespace Legate.Tests.Admin;

public sealed class AdminServerTests
{
    [Fact]
    public async Task HelpListsEndpointsSortedWithPostMarkers()
    {
        await using var h = await AdminHarness.StartAsync();
        var (status, body, response) = await h.GetAsync("/help");
        Assert.Equal(200, status);
        Assert.StartsWith("admin commands are:\n  /: Admin home page\n", body);
        Assert.Contains("  /quitquitquit (POST): exit the server\n", body);
        Assert.Contains("  /ready: print server state, return 200 if LIVE, otherwise return 503\n", body);
        Assert.Contains("      format: File format to use; One of (text, json)\n", body);
        Assert.True(body.IndexOf("  /clusters:", StringComparison.Ordinal) < body.IndexOf("  /config_dump:", StringComparison.Ordinal));
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-cache, max-age=0", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("x-content-type-options").Single());
    }

    [Fact]
    public async Task UnknownPathIs404WithHelp()
    {
        await using var h = await AdminHarness.StartAsync();
        var (status, body, _) = await h.GetAsync("/nope");
        Assert.Equal(404, status);
        Assert.StartsWith("invalid path. admin commands are:\n", body);
    }

    [Fact]
    public async Task PostOnlyEndpointRejectsGet()
    {
        await using var h = await AdminHarness.StartAsync();
        var (status, body, _) = await h.GetAsync("/quitquitquit");
        Assert.Equal(405, status);
        Assert.Equal("Method GET not allowed, POST required.", body);
        Assert.False(h.Server.ShutdownRequested.IsCompleted);
    }

    [Fact]
    public async Task QuitRequestsShutdown()
    {
        await using var h = await AdminHarness.StartAsync();
        var (status, body) = await h.PostAsync("/quitquitquit");
        Assert.Equal(200, status);
        Assert.Equal("OK\n", body);
        Assert.True(h.Server.ShutdownRequested.IsCompleted);
    }

    [Fact]
    public async Task ReadyIsLiveThenDrainingAfterHealthcheckFail()
    {
        await using var h = await AdminHarness.StartAsync();
        var (status, body, _) = await h.GetAsync("/ready");
        Assert.Equal((200, "LIVE\n"), (status, body));
        Assert.Equal("OK\n", (await h.PostAsync("/healthcheck/fail")).Body);
        (status, body, _) = await h.GetAsync("/ready");
        Assert.Equal((503, "DRAINING\n"), (status, body));
        var stats = (await h.GetAsync("/stats?filter=^server\\.(live|state)$")).Body;
        Assert.Equal("server.live: 0\nserver.state: 1\n", stats);
        await h.PostAsync("/healthcheck/ok");
        Assert.Equal("LIVE\n", (await h.GetAsync("/ready")).Body);
    }

    [Fact]
    public async Task StatsTextIsSortedAndCountsAdminRequests()
    {
        await using var h = await AdminHarness.StartAsync();
        await h.GetAsync("/ready");
        var (status, body, _) = await h.GetAsync("/stats");
        Assert.Equal(200, status);
        Assert.Contains("server.live: 1\n", body);
        Assert.Contains("http.admin.downstream_rq_2xx: 1\n", body);
        Assert.Contains("listener.admin.downstream_cx_total: 1\n", body);
        Assert.Contains("cluster.backend.upstream_rq_total: 0\n", body);
        Assert.Contains("http.admin.downstream_rq_time: P0(", body);
        var names = body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Contains(": P0(") && !l.EndsWith(": No recorded values"))
            .Select(l => l[..l.IndexOf(": ")]).ToList();
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal).ToList(), names);
    }

    [Fact]
    public async Task StatsFiltersAndJson()
    {
        await using var h = await AdminHarness.StartAsync();
        Assert.Equal("cluster.backend.upstream_cx_total: 0\n", (await h.GetAsync("/stats?filter=backend.upstream_cx_total")).Body);
        Assert.Equal(400, (await h.GetAsync("/stats?filter=(")).Status);
        var gauges = (await h.GetAsync("/stats?type=Gauges&filter=^cluster.backend.upstream_cx_")).Body;
        Assert.Equal("cluster.backend.upstream_cx_active: 0\ncluster.backend.upstream_cx_rx_bytes_buffered: 0\ncluster.backend.upstream_cx_tx_bytes_buffered: 0\n", gauges);
        var (_, json, response) = await h.GetAsync("/stats?format=json&filter=^server.live$");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"stats\":[{\"name\":\"server.live\",\"value\":1}]}", json);
        var histograms = (await h.GetAsync("/stats?format=json&type=Histograms&filter=server.initialization_time_ms")).Body;
        Assert.Contains("{\"histograms\":{\"supported_quantiles\":[0,25,50,75,90,95,99,99.5,99.9,100],\"computed_quantiles\":[{\"name\":\"server.initialization_time_ms\",\"values\":[{\"cumulative\":null,\"interval\":null}", histograms);
    }

    [Fact]
    public async Task PrometheusHasTypesTagsAndSanitisedNames()
    {
        await using var h = await AdminHarness.StartAsync();
        await h.GetAsync("/ready");
        var (status, body, _) = await h.GetAsync("/stats/prometheus");
        Assert.Equal(200, status);
        Assert.Contains("# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n", body);
        Assert.Contains("# TYPE envoy_cluster_upstream_cx_total counter\nenvoy_cluster_upstream_cx_total{envoy_cluster_name=\"backend\"} 0\n", body);
        Assert.Contains("envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\",envoy_http_conn_manager_prefix=\"admin\"} 1\n", body);
        Assert.Contains("# TYPE envoy_http_downstream_rq_time histogram\n", body);
        Assert.Contains("envoy_http_downstream_rq_time_bucket{envoy_http_conn_manager_prefix=\"admin\",le=\"0.5\"} ", body);
        Assert.Contains("envoy_http_downstream_rq_time_bucket{envoy_http_conn_manager_prefix=\"admin\",le=\"3600000\"} ", body);
        Assert.Contains("envoy_http_downstream_rq_time_count{envoy_http_conn_manager_prefix=\"admin\"} ", body);
        Assert.Contains("# TYPE envoy_server_live gauge\n", (await h.GetAsync("/stats?format=prometheus")).Body);
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.StartsWith("# TYPE ") ? line.Split(' ')[2] : line[..line.IndexOf('{')];
            Assert.Matches("^envoy_[a-zA-Z0-9_]+$", name);
        }
    }

    [Fact]
    public async Task ClustersTextMatchesEnvoysLayout()
    {
        await using var h = await AdminHarness.StartAsync();
        var (status, body, _) = await h.GetAsync("/clusters");
        Assert.Equal(200, status);
        var host = "backend::127.0.0.1:" + AdminHarness.BackendPort + "::";
        var expected = string.Join("\n",
            "backend::observability_name::backend",
            "backend::default_priority::max_connections::1024",
            "backend::default_priority::max_pending_requests::1024",
            "backend::default_priority::max_requests::1024",
            "backend::default_priority::max_retries::3",
            "backend::high_priority::max_connections::1024",
            "backend::high_priority::max_pending_requests::1024",
            "backend::high_priority::max_requests::1024",
            "backend::high_priority::max_retries::3",
            "backend::added_via_api::false",
            host + "cx_active::0",
            host + "cx_connect_fail::0",
            host + "cx_total::0",
            host + "rq_active::0",
            host + "rq_error::0",
            host + "rq_success::0",
            host + "rq_timeout::0",
            host + "rq_total::0",
            host + "hostname::",
            host + "health_flags::healthy",
            host + "weight::1",
            host + "region::",
            host + "zone::",
            host + "sub_zone::",
            host + "canary::false",
            host + "priority::0",
            host + "success_rate::-1",
            host + "local_origin_success_rate::-1") + "\n";
        Assert.Equal(expected, body);
        var json = JsonParser.Default.Parse<Clusters>((await h.GetAsync("/clusters?format=json")).Body);
        var status0 = Assert.Single(json.ClusterStatuses);
        Assert.Equal("backend", status0.Name);
        Assert.Equal((uint)AdminHarness.BackendPort, Assert.Single(status0.HostStatuses).Address.SocketAddress.PortValue);
    }

    [Fact]
    public async Task ListenersShowBoundPort()
    {
        await using var h = await AdminHarness.StartAsync();
        var port = h.Server.ListenerManager.Get("ingress")!.BoundEndPoint!.Port;
        Assert.NotEqual(0, port);
        Assert.Equal("ingress::127.0.0.1:" + port + "\n", (await h.GetAsync("/listeners")).Body);
        var json = JsonParser.Default.Parse<Envoy.Admin.V3.Listeners>((await h.GetAsync("/listeners?format=json")).Body);
        Assert.Equal((uint)port, Assert.Single(json.ListenerStatuses).LocalAddress.SocketAddress.PortValue);
    }

    [Fact]
    public async Task ConfigDumpParsesBackInEnvoysOrder()
    {
        await using var h = await AdminHarness.StartAsync();
        var parser = new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry));
        var (status, body, _) = await h.GetAsync("/config_dump");
        Assert.Equal(200, status);
        var dump = parser.Parse<ConfigDump>(body);
        Assert.Equal(
            ["BootstrapConfigDump", "ClustersConfigDump", "ListenersConfigDump", "ScopedRoutesConfigDump", "RoutesConfigDump", "SecretsConfigDump"],
            dump.Configs.Select(c => c.TypeUrl[(c.TypeUrl.LastIndexOf('.') + 1)..]).ToArray());
        var clusters = dump.Configs[1].Unpack<ClustersConfigDump>();
        Assert.Equal("backend", clusters.StaticClusters.Single().Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>().Name);
        var routes = dump.Configs[4].Unpack<RoutesConfigDump>();
        Assert.Equal("local_route", routes.StaticRouteConfigs.Single().RouteConfig.Unpack<Envoy.Config.Route.V3.RouteConfiguration>().Name);
        Assert.Contains("\n \"configs\": [\n", body);

        var resource = parser.Parse<ConfigDump>((await h.GetAsync("/config_dump?resource=static_clusters&mask=cluster.name")).Body);
        var element = Assert.Single(resource.Configs).Unpack<ClustersConfigDump.Types.StaticCluster>();
        var masked = element.Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>();
        Assert.Equal("backend", masked.Name);
        Assert.Null(masked.ConnectTimeout);
        Assert.Equal(404, (await h.GetAsync("/config_dump?resource=nothing")).Status);
        Assert.Empty(parser.Parse<ConfigDump>((await h.GetAsync("/config_dump?resource=static_clusters&name_regex=other")).Body).Configs);
        var eds = parser.Parse<ConfigDump>((await h.GetAsync("/config_dump?include_eds")).Body);
        Assert.Contains(eds.Configs, c => c.TypeUrl.EndsWith("EndpointsConfigDump", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerInfoRuntimeMemoryAndHotRestart()
    {
        await using var h = await AdminHarness.StartAsync();
        var info = JsonParser.Default.Parse<ServerInfo>((await h.GetAsync("/server_info")).Body);
        Assert.Equal(ServerInfo.Types.State.Live, info.State);
        Assert.Equal("disabled", info.HotRestartVersion);
        Assert.Equal("disabled", (await h.GetAsync("/hot_restart_version")).Body);
        Assert.Equal("{\n \"entries\": {},\n \"layers\": []\n}", (await h.GetAsync("/runtime")).Body);
        Assert.Equal(503, (await h.PostAsync("/runtime_modify?a=b")).Status);
        var memory = JsonParser.Default.Parse<Memory>((await h.GetAsync("/memory")).Body);
        Assert.True(memory.Allocated > 0);
        var (status, home, response) = await h.GetAsync("/");
        Assert.Equal(200, status);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/dashboard", home);
    }

    [Fact]
    public async Task ResetCountersZeroesCounters()
    {
        await using var h = await AdminHarness.StartAsync();
        await h.GetAsync("/ready");
        Assert.Equal("OK\n", (await h.PostAsync("/reset_counters")).Body);
        // Only the reset request itself was counted after the reset.
        Assert.Equal("http.admin.downstream_rq_2xx: 1\n", (await h.GetAsync("/stats?filter=^http.admin.downstream_rq_2xx$")).Body);
    }

    [Fact]
    public async Task AddressPathReceivesBoundAddress()
    {
        var path = Path.Combine(Path.GetTempPath(), "legate-admin-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var h = await AdminHarness.StartAsync(new AdminOptions { AddressPath = path });
            Assert.Equal(AdminServer.FormatAddress(h.Admin.BoundEndPoint!), File.ReadAllText(path));
            Assert.StartsWith("127.0.0.1:", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
