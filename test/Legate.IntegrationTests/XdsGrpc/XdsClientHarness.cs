using System.Globalization;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Legate.Config;
using Legate.Server;
using Legate.Upstream;
using Legate.Xds;
using Legate.Xds.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>
/// A <see cref="GrpcSubscriptionProvider"/> wired to a (not started) LegateServer's context and pointed at
/// a <see cref="ManagementServer"/>, with a fast reconnect backoff.
/// </summary>
internal sealed class XdsClientHarness : IAsyncDisposable
{
    public const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string EndpointType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string ListenerType = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string RouteType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private XdsClientHarness(LegateServer legate, GrpcSubscriptionProvider provider)
    {
        Legate = legate;
        Provider = provider;
    }

    public LegateServer Legate { get; }

    public GrpcSubscriptionProvider Provider { get; }

    /// <param name="adsApiType">ads_config api_type.</param>
    /// <param name="grpcService">The grpc_services[0] entry as YAML flow text; default google_grpc to the server.</param>
    public static XdsClientHarness Create(ManagementServer server, string adsApiType = "GRPC", string? grpcService = null, string extraAds = "", ServerRuntimeOptions? options = null, string staticResources = "")
    {
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        grpcService ??= "{ google_grpc: { target_uri: \"127.0.0.1:" + port + "\", stat_prefix: xds } }";
        var yaml = "node: { id: test-node, cluster: test-cluster, locality: { zone: zone-a } }\n"
            + "dynamic_resources:\n"
            + "  ads_config:\n"
            + "    api_type: " + adsApiType + "\n"
            + "    transport_api_version: V3\n"
            + extraAds
            + "    grpc_services:\n"
            + "    - " + grpcService + "\n"
            + staticResources;
        var bootstrap = ConfigLoader.LoadBootstrap(null, yaml, ConfigLoadOptions.Strict);
        var legate = new LegateServer(bootstrap, options ?? new ServerRuntimeOptions { Concurrency = 1 }, NullLoggerFactory.Instance);
        var provider = new GrpcSubscriptionProvider(new XdsServices(bootstrap, legate.Context))
        {
            BackoffOverride = () => new JitteredBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
        };
        return new XdsClientHarness(legate, provider);
    }

    public SubscriptionStats Stats(string prefix) => new(Legate.Stats.Scope(prefix));

    public long Counter(string name) => Legate.Stats.Counter(name).Value;

    public long Gauge(string name) => Legate.Stats.Gauge(name).Value;

    public static Cluster Cluster(string name, Cluster.Types.LbPolicy lbPolicy = Envoy.Config.Cluster.V3.Cluster.Types.LbPolicy.RoundRobin) => new()
    {
        Name = name,
        Type = Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds,
        LbPolicy = lbPolicy,
        ConnectTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = new Envoy.Config.Core.V3.ConfigSource { Ads = new() } },
    };

    public static ClusterLoadAssignment Endpoints(string cluster, params int[] ports)
    {
        var assignment = new ClusterLoadAssignment { ClusterName = cluster };
        var locality = new LocalityLbEndpoints();
        foreach (var port in ports)
        {
            locality.LbEndpoints.Add(new LbEndpoint
            {
                Endpoint = new Endpoint
                {
                    Address = new Envoy.Config.Core.V3.Address
                    {
                        SocketAddress = new Envoy.Config.Core.V3.SocketAddress { Address = "127.0.0.1", PortValue = (uint)port },
                    },
                },
            });
        }
        assignment.Endpoints.Add(locality);
        return assignment;
    }

    /// <summary>What CDS would do with lb_policy: reject values outside the enum, naming the field.</summary>
    public static void RejectUnknownLbPolicy(IReadOnlyList<DecodedResource> resources)
    {
        for (var i = 0; i < resources.Count; i++)
        {
            var cluster = (Cluster)resources[i].Resource;
            if (!Enum.IsDefined(cluster.LbPolicy))
            {
                throw new ConfigException(ConfigPath.Join(ConfigPath.Index("resources", i), "lb_policy"), "value must be one of the defined enum values (is " + (int)cluster.LbPolicy + ")");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Legate.DisposeAsync();
    }
}
