using System.Globalization;
using System.Text.Json;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Admin;

/// <summary>/clusters, /config_dump filters and redaction, /logging, and the health-check failure state, over real sockets.</summary>
public sealed class AdminEndpointTests
{
    [Fact]
    public async Task Clusters_text_prints_envoys_lines_with_counts_of_the_requests_sent()
    {
        const int n = 5;
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await AdminHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("webcluster1"), [ConfigYaml.StaticCluster("webcluster1", upstream.Port)]));
        await host.SendAsync(n);
        var hostAddress = "127.0.0.1:" + upstream.Port.ToString(CultureInfo.InvariantCulture);
        var hostStats = host.Server.ClusterManager.Clusters.Single(c => c.Name == "webcluster1").PrioritySet.HostSetsPerPriority[0].Hosts[0].Stats;
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref hostStats.RqSuccess) == n), "host rq_success never reached " + n);

        var (status, body, contentType) = await host.GetAsync("/clusters");

        Assert.Equal(200, status);
        Assert.Equal("text/plain; charset=UTF-8", contentType);
        var lines = body.Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        var expectedHead = new[]
        {
            "webcluster1::observability_name::webcluster1",
            "webcluster1::default_priority::max_connections::1024",
            "webcluster1::default_priority::max_pending_requests::1024",
            "webcluster1::default_priority::max_requests::1024",
            "webcluster1::default_priority::max_retries::3",
            "webcluster1::high_priority::max_connections::1024",
            "webcluster1::high_priority::max_pending_requests::1024",
            "webcluster1::high_priority::max_requests::1024",
            "webcluster1::high_priority::max_retries::3",
            "webcluster1::added_via_api::false",
        };
        Assert.Equal(expectedHead, lines[..expectedHead.Length]);
        var hostLines = lines[expectedHead.Length..^1];
        var keys = hostLines.Select(l => l.Split("::")[2]).ToArray();
        Assert.Equal(
            ["cx_active", "cx_connect_fail", "cx_total", "rq_active", "rq_error", "rq_success", "rq_timeout", "rq_total", "hostname", "health_flags",
             "weight", "region", "zone", "sub_zone", "canary", "priority", "success_rate", "local_origin_success_rate"],
            keys);
        Assert.All(hostLines, l => Assert.StartsWith("webcluster1::" + hostAddress + "::", l));
        var values = hostLines.ToDictionary(l => l.Split("::")[2], l => l.Split("::")[3]);
        Assert.Equal("0", values["cx_connect_fail"]);
        Assert.Equal("0", values["rq_active"]);
        Assert.Equal("0", values["rq_error"]);
        Assert.Equal("0", values["rq_timeout"]);
        Assert.Equal(n.ToString(CultureInfo.InvariantCulture), values["rq_success"]);
        Assert.Equal(n.ToString(CultureInfo.InvariantCulture), values["rq_total"]);
        // Sequential requests reuse pooled connections: at least one, at most one per request.
        Assert.InRange(long.Parse(values["cx_total"], CultureInfo.InvariantCulture), 1, n);
        Assert.InRange(long.Parse(values["cx_active"], CultureInfo.InvariantCulture), 0, long.Parse(values["cx_total"], CultureInfo.InvariantCulture));
        Assert.Equal(string.Empty, values["hostname"]);
        Assert.Equal("healthy", values["health_flags"]);
        Assert.Equal("1", values["weight"]);
        Assert.Equal(string.Empty, values["region"]);
        Assert.Equal("false", values["canary"]);
        Assert.Equal("0", values["priority"]);
        Assert.Equal("-1", values["success_rate"]);
        Assert.Equal("-1", values["local_origin_success_rate"]);

        var (_, json, jsonType) = await host.GetAsync("/clusters?format=json");
        Assert.Equal("application/json", jsonType);
        using var doc = JsonDocument.Parse(json);
        var cluster = doc.RootElement.GetProperty("cluster_statuses")[0];
        Assert.Equal("webcluster1", cluster.GetProperty("name").GetString());
        var hostStatus = cluster.GetProperty("host_statuses")[0];
        Assert.Equal(upstream.Port, hostStatus.GetProperty("address").GetProperty("socket_address").GetProperty("port_value").GetInt32());
        var rqTotal = hostStatus.GetProperty("stats").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "rq_total");
        Assert.Equal(n.ToString(CultureInfo.InvariantCulture), rqTotal.GetProperty("value").GetString());
    }

    private const string SecretYaml = """
          secrets:
          - name: server_cert
            tls_certificate:
              certificate_chain: { inline_string: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" }
              private_key: { inline_string: "-----BEGIN PRIVATE KEY-----\nTOPSECRET\n-----END PRIVATE KEY-----\n" }

        """;

    private static async Task<AdminHost> StartTwoClustersAsync(TestUpstream upstream)
    {
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo_cluster"),
            [ConfigYaml.StaticCluster("echo_cluster", upstream.Port), ConfigYaml.StaticCluster("other_cluster", upstream.Port)]);
        // static_resources.secrets goes under the same static_resources key the builder opened.
        yaml = yaml.ReplaceExactly("static_resources:\n", "static_resources:\n" + SecretYaml);
        return await AdminHost.StartAsync(yaml);
    }

    [Fact]
    public async Task Config_dump_filters_by_resource_mask_and_name_regex()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await StartTwoClustersAsync(upstream);

        var (status, all, _) = await host.GetAsync("/config_dump");
        Assert.Equal(200, status);
        using (var doc = JsonDocument.Parse(all))
        {
            var types = doc.RootElement.GetProperty("configs").EnumerateArray().Select(c => c.GetProperty("@type").GetString()!).ToArray();
            Assert.Equal(
                ["type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                 "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump",
                 "type.googleapis.com/envoy.admin.v3.RoutesConfigDump", "type.googleapis.com/envoy.admin.v3.SecretsConfigDump"],
                types);
        }

        var (_, resource, _) = await host.GetAsync("/config_dump?resource=static_clusters");
        using (var doc = JsonDocument.Parse(resource))
        {
            var configs = doc.RootElement.GetProperty("configs").EnumerateArray().ToList();
            Assert.All(configs, c => Assert.Equal("type.googleapis.com/envoy.admin.v3.ClustersConfigDump.StaticCluster", c.GetProperty("@type").GetString()));
            Assert.Equal(["echo_cluster", "other_cluster"], configs.Select(c => c.GetProperty("cluster").GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray());
        }

        var (_, named, _) = await host.GetAsync("/config_dump?resource=static_clusters&name_regex=other.*");
        using (var doc = JsonDocument.Parse(named))
        {
            var configs = doc.RootElement.GetProperty("configs").EnumerateArray().ToList();
            Assert.Equal("other_cluster", Assert.Single(configs).GetProperty("cluster").GetProperty("name").GetString());
        }

        var (_, masked, _) = await host.GetAsync("/config_dump?resource=static_clusters&mask=cluster.name");
        using (var doc = JsonDocument.Parse(masked))
        {
            foreach (var c in doc.RootElement.GetProperty("configs").EnumerateArray())
            {
                Assert.Equal(["@type", "cluster"], c.EnumerateObject().Select(p => p.Name).ToArray());
                Assert.Equal(["@type", "name"], c.GetProperty("cluster").EnumerateObject().Select(p => p.Name).ToArray());
            }
        }

        var (_, maskOnly, _) = await host.GetAsync("/config_dump?mask=static_clusters");
        using (var doc = JsonDocument.Parse(maskOnly))
        {
            var config = Assert.Single(doc.RootElement.GetProperty("configs").EnumerateArray().ToList());
            Assert.Equal("type.googleapis.com/envoy.admin.v3.ClustersConfigDump", config.GetProperty("@type").GetString());
            Assert.Equal(["@type", "static_clusters"], config.EnumerateObject().Select(p => p.Name).ToArray());
        }

        var (missingStatus, missing, _) = await host.GetAsync("/config_dump?resource=nope");
        Assert.Equal((404, "nope not found in config dump"), (missingStatus, missing));
    }

    [Fact]
    public async Task Config_dump_redacts_private_keys()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await StartTwoClustersAsync(upstream);

        var (_, body, _) = await host.GetAsync("/config_dump");
        Assert.DoesNotContain("TOPSECRET", body);
        Assert.Contains("\"[redacted]\"", body);
        var (_, secrets, _) = await host.GetAsync("/config_dump?resource=static_secrets");
        Assert.DoesNotContain("TOPSECRET", secrets);
        using var doc = JsonDocument.Parse(secrets);
        var secret = Assert.Single(doc.RootElement.GetProperty("configs").EnumerateArray().ToList()).GetProperty("secret");
        Assert.Equal("server_cert", secret.GetProperty("name").GetString());
        var tls = secret.GetProperty("tls_certificate");
        Assert.Equal("[redacted]", tls.GetProperty("private_key").GetProperty("inline_string").GetString());
        Assert.Contains("BEGIN CERTIFICATE", tls.GetProperty("certificate_chain").GetProperty("inline_string").GetString());
    }

    [Fact]
    public async Task Healthcheck_fail_reports_draining_everywhere_until_ok()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await AdminHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo_cluster"), [ConfigYaml.StaticCluster("echo_cluster", upstream.Port)]));

        Assert.Equal((200, "LIVE\n"), await ReadyAsync(host));
        Assert.Equal((405, "Method GET not allowed, POST required."), await GetStatusAndBodyAsync(host, "/healthcheck/fail"));
        Assert.Equal((200, "OK\n"), await host.PostAsync("/healthcheck/fail"));

        Assert.Equal((503, "DRAINING\n"), await ReadyAsync(host));
        Assert.Equal("server.live: 0\nserver.state: 1\n", (await host.GetAsync("/stats?filter=^server\\.(live|state)$")).Body);
        Assert.Contains("\nenvoy_server_live{} 0\n", (await host.GetAsync("/stats/prometheus")).Body);
        using (var info = JsonDocument.Parse((await host.GetAsync("/server_info")).Body))
        {
            Assert.Equal("DRAINING", info.RootElement.GetProperty("state").GetString());
        }

        Assert.Equal((200, "OK\n"), await host.PostAsync("/healthcheck/ok"));
        Assert.Equal((200, "LIVE\n"), await ReadyAsync(host));
        Assert.Equal("server.live: 1\n", (await host.GetAsync("/stats?filter=^server\\.live$")).Body);
        using (var info = JsonDocument.Parse((await host.GetAsync("/server_info")).Body))
        {
            Assert.Equal("LIVE", info.RootElement.GetProperty("state").GetString());
        }
    }

    private static async Task<(int, string)> ReadyAsync(AdminHost host) => await GetStatusAndBodyAsync(host, "/ready");

    private static async Task<(int, string)> GetStatusAndBodyAsync(AdminHost host, string path)
    {
        var (status, body, _) = await host.GetAsync(path);
        return (status, body);
    }
}
