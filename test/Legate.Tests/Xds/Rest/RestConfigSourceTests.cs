using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Server;
using Legate.Xds;
using Legate.Xds.Rest;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.Tests.Xds.Rest;

/// <summary>Validation of api_type REST config sources, through the real subscription factory.</summary>
public sealed class RestConfigSourceTests : IAsyncLifetime
{
    private const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    private LegateServer _server = null!;

    public async Task InitializeAsync()
    {
        const string yaml = """
            static_resources:
              clusters:
              - name: xds_cluster
                type: STATIC
                load_assignment: { cluster_name: xds_cluster, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 1 } } } }] }] }
              - name: eds_cluster
                type: EDS
                eds_cluster_config: { eds_config: { api_config_source: { api_type: REST, cluster_names: [xds_cluster] }, initial_fetch_timeout: 0.001s } }
            """;
        _server = new LegateServer(ConfigLoader.LoadBootstrap(null, yaml, ConfigLoadOptions.Strict), new ServerRuntimeOptions { Concurrency = 1 }, NullLoggerFactory.Instance);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.ShutdownAsync(TimeSpan.Zero);
        await _server.DisposeAsync();
    }

    private static ConfigSource Source(Action<ApiConfigSource> edit)
    {
        var api = new ApiConfigSource { ApiType = ApiConfigSource.Types.ApiType.Rest };
        api.ClusterNames.Add("xds_cluster");
        edit(api);
        return new ConfigSource { ApiConfigSource = api };
    }

    private ConfigException Reject(ConfigSource source, string typeUrl = ClusterType) =>
        Assert.Throws<ConfigException>(() => _server.Xds.Subscriptions.Create(source, typeUrl, new NoCallbacks(), new SubscriptionStats(_server.Stats.Scope("t")), "dynamic_resources.cds_config"));

    [Fact]
    public void ValidSourceCreatesASubscription()
    {
        using var subscription = _server.Xds.Subscriptions.Create(Source(_ => { }), ClusterType, new NoCallbacks(), new SubscriptionStats(_server.Stats.Scope("t")), "x");
        Assert.NotNull(subscription);
    }

    [Fact]
    public void ExactlyOneCluster()
    {
        Assert.Equal("dynamic_resources.cds_config.api_config_source.cluster_names", Reject(Source(a => a.ClusterNames.Clear())).FieldPath);
        Assert.Equal("dynamic_resources.cds_config.api_config_source.cluster_names", Reject(Source(a => a.ClusterNames.Add("xds_cluster"))).FieldPath);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("eds_cluster")]
    public void TheClusterMustBeStaticAndNotEds(string cluster)
    {
        var e = Reject(Source(a => a.ClusterNames[0] = cluster));
        Assert.Equal("dynamic_resources.cds_config.api_config_source.cluster_names[0]", e.FieldPath);
        Assert.Contains("'" + cluster + "'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrpcServicesAreNotAllowed()
    {
        var e = Reject(Source(a => a.GrpcServices.Add(new GrpcService { EnvoyGrpc = new() { ClusterName = "xds_cluster" } })));
        Assert.Equal("dynamic_resources.cds_config.api_config_source.grpc_services", e.FieldPath);
    }

    [Fact]
    public void DurationsMustBePositive()
    {
        Assert.Equal("dynamic_resources.cds_config.api_config_source.refresh_delay",
            Reject(Source(a => a.RefreshDelay = Duration.FromTimeSpan(TimeSpan.Zero))).FieldPath);
        Assert.Equal("dynamic_resources.cds_config.api_config_source.request_timeout",
            Reject(Source(a => a.RequestTimeout = Duration.FromTimeSpan(TimeSpan.Zero))).FieldPath);
    }

    [Fact]
    public void TypesWithoutARestEndpointAreRejected()
    {
        var e = Reject(Source(_ => { }), "type.googleapis.com/envoy.config.route.v3.VirtualHost");
        Assert.Equal("dynamic_resources.cds_config.api_config_source.api_type", e.FieldPath);
    }

    [Theory]
    [InlineData("type.googleapis.com/envoy.config.listener.v3.Listener", "/v3/discovery:listeners")]
    [InlineData("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "/v3/discovery:routes")]
    [InlineData("type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration", "/v3/discovery:scoped-routes")]
    [InlineData("type.googleapis.com/envoy.config.cluster.v3.Cluster", "/v3/discovery:clusters")]
    [InlineData("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "/v3/discovery:endpoints")]
    [InlineData("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "/v3/discovery:secrets")]
    [InlineData("type.googleapis.com/envoy.service.runtime.v3.Runtime", "/v3/discovery:runtime")]
    [InlineData("type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig", "/v3/discovery:extension_configs")]
    public void RestPathsFollowTheFetchMethodsHttpMapping(string typeUrl, string path) => Assert.Equal(path, RestPaths.For(typeUrl));

    private sealed class NoCallbacks : ISubscriptionCallbacks
    {
        public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
        {
        }

        public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
        {
        }

        public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
        {
        }
    }
}
