using System.Globalization;
using System.Text.Json;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.IntegrationTests.Admin;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.XdsRest;

/// <summary>REST-JSON xDS against a real management server on loopback: CDS and EDS by polling, and SDS secrets in /config_dump.</summary>
public sealed class RestXdsTests
{
    internal const string ClustersPath = "/v3/discovery:clusters";
    internal const string EndpointsPath = "/v3/discovery:endpoints";
    private const string SecretsPath = "/v3/discovery:secrets";
    internal const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    internal const string ClaType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private const string SecretType = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static ApiConfigSource RestSource()
    {
        var api = new ApiConfigSource
        {
            ApiType = ApiConfigSource.Types.ApiType.Rest,
            RefreshDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
            RequestTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)),
        };
        api.ClusterNames.Add("xds_cluster");
        return api;
    }

    internal static Cluster EdsCluster(string name) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Eds,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = new ConfigSource { ApiConfigSource = RestSource() } },
    };

    private static Cluster StaticCluster(string name, string address, int port)
    {
        var cluster = new Cluster { Name = name, Type = Cluster.Types.DiscoveryType.Static, LoadAssignment = Assignment(name, address, port) };
        return cluster;
    }

    internal static ClusterLoadAssignment Assignment(string name, string address, params int[] ports)
    {
        var locality = new LocalityLbEndpoints();
        foreach (var port in ports)
        {
            locality.LbEndpoints.Add(new LbEndpoint
            {
                Endpoint = new Endpoint { Address = new Address { SocketAddress = new SocketAddress { Address = address, PortValue = (uint)port } } },
            });
        }
        var assignment = new ClusterLoadAssignment { ClusterName = name };
        assignment.Endpoints.Add(locality);
        return assignment;
    }

    private static string Bootstrap(int xdsPort) => $$"""
        node: { id: legate-rest, cluster: rest-test }
        dynamic_resources:
          cds_config:
            api_config_source:
              api_type: REST
              cluster_names: [xds_cluster]
              refresh_delay: 0.1s
              request_timeout: 2s
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
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                  route_config:
                    # The cluster comes from CDS and may still be warming when the listener is built.
                    validate_clusters: false
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: "/" }
                        route: { cluster: web }
          clusters:
          - name: xds_cluster
            type: STATIC
            load_assignment:
              cluster_name: xds_cluster
              endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: {{P(xdsPort)}} } } } }] }]
        """;

    /// <summary>The <c>x-upstream</c> name of the upstream that answered <c>/</c>, or the status code when none did.</summary>
    internal static async Task<string> UpstreamOf(HttpClient client)
    {
        using var response = await client.GetAsync("/");
        return response.Headers.TryGetValues("x-upstream", out var values) ? values.Single() : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task CdsAndEdsOverRest_RouteTraffic_FollowUpdates_AndRejectABadCluster()
    {
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var xds = await RestManagementServer.StartAsync();
        xds.Set(ClustersPath, ClusterType, "c1", EdsCluster("web"));
        xds.Set(EndpointsPath, ClaType, "e1", Assignment("web", "127.0.0.1", a.Port));

        await using var host = await LegateHost.StartAsync(Bootstrap(xds.Port));
        var client = host.CreateClient();

        // CDS brought the EDS cluster, whose endpoints came over REST too.
        Assert.True(await Eventually.TrueAsync(async () => await UpstreamOf(client) == "a"), "no traffic through the CDS cluster:\n" + host.NonZeroCounters());
        var web = host.Server.ClusterManager.Get("web");
        Assert.NotNull(web);
        Assert.True(web.AddedViaApi);
        Assert.Equal("c1", host.Server.Xds.Cds!.VersionInfo);
        Assert.Equal("c1", host.Server.Stats.TextReadout("cluster_manager.cds.version_text").Value);
        Assert.True(host.Counter("cluster_manager.cds.update_success") >= 1);
        var first = xds.RequestsFor(ClustersPath)[0];
        Assert.Equal(string.Empty, first.VersionInfo);
        Assert.Equal("legate-rest", first.Node.Id);
        Assert.Empty(first.ResourceNames);
        Assert.Equal(["web"], xds.RequestsFor(EndpointsPath)[0].ResourceNames);

        // Polls ACK by version: once accepted, the server answers 304 and nothing is re-applied.
        Assert.True(await Eventually.TrueAsync(() => xds.RequestsFor(ClustersPath).Exists(r => r.VersionInfo == "c1")), "no request carried version c1");
        Assert.Equal(1, host.Counter("cluster_manager.cds.update_success"));

        // An EDS update on the server is picked up on the next poll: both hosts serve.
        xds.Set(EndpointsPath, ClaType, "e2", Assignment("web", "127.0.0.1", a.Port, b.Port));
        Assert.True(await Eventually.TrueAsync(async () => await UpstreamOf(client) == "b"), "second endpoint never used");
        Assert.Equal(2, host.Server.ClusterManager.Get("web")!.PrioritySet.Hosts.Count);

        // A CDS update with an invalid cluster is rejected as a whole, NACKed, and the old clusters keep serving.
        xds.Set(ClustersPath, ClusterType, "c2", EdsCluster("web"), StaticCluster("bad", "not-an-ip", 80));
        Assert.True(await Eventually.TrueAsync(() => host.Counter("cluster_manager.cds.update_rejected") >= 1), "bad cluster not rejected:\n" + host.NonZeroCounters());
        Assert.True(await Eventually.TrueAsync(() => xds.RequestsFor(ClustersPath).Exists(r => r.ErrorDetail is not null)), "no NACK sent");
        var nack = xds.RequestsFor(ClustersPath).Find(r => r.ErrorDetail is not null)!;
        Assert.Equal("c1", nack.VersionInfo);
        Assert.Equal(13, nack.ErrorDetail.Code);
        Assert.Contains("resources[1]", nack.ErrorDetail.Message, StringComparison.Ordinal);
        Assert.Null(host.Server.ClusterManager.Get("bad"));
        Assert.Equal("c1", host.Server.Xds.Cds!.VersionInfo);
        var seen = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            seen.Add(await UpstreamOf(client));
        }
        Assert.Equal(["a", "b"], seen.Order(StringComparer.Ordinal));

        // A later good update is accepted.
        xds.Set(ClustersPath, ClusterType, "c3", EdsCluster("web"), StaticCluster("extra", "127.0.0.1", a.Port));
        // The version is recorded last, once the update has been applied (the new cluster is published before it).
        Assert.True(await Eventually.TrueAsync(() => host.Server.Xds.Cds!.VersionInfo == "c3"), "good update after NACK not applied");
        Assert.NotNull(host.Server.ClusterManager.Get("extra"));
        Assert.Contains(await UpstreamOf(client), new[] { "a", "b" });
    }

    [Fact]
    public async Task SecretsFromBootstrapFileAndRest_AppearInConfigDump_Redacted()
    {
        await using var xds = await RestManagementServer.StartAsync();
        var restSecret = new Secret
        {
            Name = "rest_cert",
            TlsCertificate = new TlsCertificate
            {
                CertificateChain = new DataSource { InlineString = "REST-CERT" },
                PrivateKey = new DataSource { InlineString = "REST-PRIVATE-KEY" },
            }
        };
        xds.Set(SecretsPath, SecretType, "r1", restSecret);
        using var dir = new TempDir();
        var file = dir.Write("sds.yaml", SecretYaml("f1", "FILE-PRIVATE-KEY"));
        var yaml = $$"""
            static_resources:
              secrets:
              - name: static_cert
                tls_certificate:
                  certificate_chain: { inline_string: STATIC-CERT }
                  private_key: { inline_string: STATIC-PRIVATE-KEY }
              clusters:
              - name: xds_cluster
                type: STATIC
                load_assignment:
                  cluster_name: xds_cluster
                  endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: {{P(xds.Port)}} } } } }] }]
            """;
        await using var host = await AdminHost.StartAsync(yaml);
        var secrets = host.Server.Context.Secrets;
        using var fromFile = secrets.Subscribe(new SdsSecretConfig
        {
            Name = "file_cert",
            SdsConfig = new ConfigSource { PathConfigSource = new PathConfigSource { Path = file } },
        }, "test.file");
        using var fromRest = secrets.Subscribe(new SdsSecretConfig { Name = "rest_cert", SdsConfig = new ConfigSource { ApiConfigSource = RestSource() } }, "test.rest");
        Assert.True(await Eventually.TrueAsync(() => fromRest.Current is not null), "REST secret never arrived");
        Assert.Equal("REST-PRIVATE-KEY", fromRest.Current!.TlsCertificate.PrivateKey.InlineString);
        Assert.Equal(["rest_cert"], xds.RequestsFor(SecretsPath)[0].ResourceNames);

        var active = await host.Admin.RequestAsync("GET", "/config_dump?resource=dynamic_active_secrets");
        Assert.Equal(200, active.StatusCode);
        AssertNoKeys(active.Body);
        using (var json = JsonDocument.Parse(active.Body))
        {
            var entries = json.RootElement.GetProperty("configs").EnumerateArray().ToList();
            Assert.Equal(["file_cert", "rest_cert"], entries.Select(e => e.GetProperty("name").GetString()));
            Assert.Equal(["f1", "r1"], entries.Select(e => e.GetProperty("version_info").GetString()));
            foreach (var entry in entries)
            {
                Assert.True(entry.TryGetProperty("last_updated", out _));
                Assert.Equal("[redacted]", entry.GetProperty("secret").GetProperty("tls_certificate").GetProperty("private_key").GetProperty("inline_string").GetString());
            }
        }

        var statics = await host.Admin.RequestAsync("GET", "/config_dump?resource=static_secrets");
        AssertNoKeys(statics.Body);
        Assert.Contains("STATIC-CERT", statics.Body, StringComparison.Ordinal);
        Assert.Contains("static_cert", statics.Body, StringComparison.Ordinal);

        // A new file moved into place updates the dumped version; the stats live under sds.<name>.
        var staged = dir.Write("sds.yaml.tmp", SecretYaml("f2", "FILE-PRIVATE-KEY-2"));
        File.Move(staged, file, overwrite: true);
        Assert.True(await Eventually.TrueAsync(() => fromFile.VersionInfo == "f2"), "file secret not reloaded");
        Assert.Equal(2, host.Server.Stats.Counter("sds.file_cert.update_success").Value);
        Assert.True(host.Server.Stats.Counter("sds.rest_cert.update_success").Value >= 1);
        var dump = await host.Admin.RequestAsync("GET", "/config_dump");
        AssertNoKeys(dump.Body);
        Assert.Contains("\"f2\"", dump.Body, StringComparison.Ordinal);
    }

    private static void AssertNoKeys(string body)
    {
        Assert.DoesNotContain("PRIVATE-KEY", body, StringComparison.Ordinal);
    }

    private static string SecretYaml(string version, string key) => "version_info: \"" + version + "\"\nresources:\n"
        + "- \"@type\": " + SecretType + "\n  name: file_cert\n  tls_certificate:\n"
        + "    certificate_chain: { inline_string: FILE-CERT }\n    private_key: { inline_string: " + key + " }\n";
}
