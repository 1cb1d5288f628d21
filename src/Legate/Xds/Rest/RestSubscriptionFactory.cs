using Envoy.Config.Core.V3;
using Legate.Config;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Rest;

/// <summary>
/// Validates an <c>api_config_source</c> of api_type REST and creates its polling subscription. As in
/// Envoy: exactly one cluster in cluster_names, defined statically and not EDS (the management server
/// must be reachable before any xDS arrives); no grpc_services; request_timeout default 1 s.
/// refresh_delay defaults to 1 s (Envoy requires it; a default keeps the source usable).
/// </summary>
internal static class RestSubscriptionFactory
{
    public static readonly TimeSpan DefaultRefreshDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(1);

    public static ISubscription Create(
        ApiConfigSource source,
        string typeUrl,
        ISubscriptionCallbacks callbacks,
        SubscriptionStats stats,
        string path,
        XdsServices services,
        ConfigLoadOptions resourceOptions,
        ILogger logger)
    {
        var restPath = RestPaths.For(typeUrl)
            ?? throw new ConfigException(ConfigPath.Join(path, "api_type"), "no REST discovery endpoint for resource type " + typeUrl);
        if (source.GrpcServices.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "grpc_services"), "a REST API config source must not have gRPC services; use cluster_names");
        }
        var clustersPath = ConfigPath.Join(path, "cluster_names");
        if (source.ClusterNames.Count != 1)
        {
            throw new ConfigException(clustersPath, "a REST API config source must name exactly one cluster (has " + source.ClusterNames.Count + ")");
        }
        var clusterName = source.ClusterNames[0];
        var cluster = services.Server.ClusterManager.Get(clusterName);
        if (cluster is null || cluster.AddedViaApi || cluster.ClusterTypeName == "envoy.cluster.eds")
        {
            throw new ConfigException(
                ConfigPath.Index(clustersPath, 0),
                "REST xDS needs a statically defined non-EDS cluster: '" + clusterName + "' does not exist, was added via API, or is an EDS cluster");
        }
        var refreshDelay = Positive(source.RefreshDelay, DefaultRefreshDelay, ConfigPath.Join(path, "refresh_delay"));
        var requestTimeout = Positive(source.RequestTimeout, DefaultRequestTimeout, ConfigPath.Join(path, "request_timeout"));
        var client = new RestDiscoveryClient(services.Server.ClusterManager, clusterName, restPath, requestTimeout);
        var node = Grpc.XdsNode.Build(services.Bootstrap.Node, services.Server.LocalInfo);
        return new RestSubscription(client, typeUrl, node, refreshDelay, callbacks, stats, logger, services.Time, resourceOptions);
    }

    private static TimeSpan Positive(Google.Protobuf.WellKnownTypes.Duration? duration, TimeSpan fallback, string path)
    {
        if (duration is null)
        {
            return fallback;
        }
        var value = duration.ToTimeSpan();
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigException(path, "value must be greater than 0s");
        }
        return value;
    }
}
