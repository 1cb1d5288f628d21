using Envoy.Config.Endpoint.V3;
using Legate.Config;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Eds;

/// <summary>
/// One EDS cluster's subscription to its ClusterLoadAssignment (named eds_cluster_config.service_name,
/// or the cluster name). Each accepted assignment replaces the cluster's hosts through
/// <see cref="UpstreamCluster.UpdateHosts"/>, which keeps the Host objects (stats, pools) of hosts that stay.
/// Stats are the cluster's own <c>cluster.&lt;name&gt;.update_*</c>. The first assignment, a rejection or
/// the initial fetch timeout ends the cluster's warming.
/// </summary>
public sealed class EdsClusterSubscription : ISubscriptionCallbacks, IDisposable
{
    public const string TypeUrl = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private readonly UpstreamCluster _cluster;
    private readonly ILogger _logger;
    private readonly ISubscription _subscription;
    private readonly Stats.Counter _updateEmpty;

    public EdsClusterSubscription(UpstreamCluster cluster, ISubscriptionFactory factory, Stats.StatsStore stats, ILogger logger)
    {
        _cluster = cluster;
        _logger = logger;
        ServiceName = cluster.EdsServiceName ?? cluster.Name;
        Init = new InitTarget("EDS " + ServiceName);
        var scope = stats.Scope("cluster." + cluster.StatName);
        Stats = new SubscriptionStats(scope);
        _updateEmpty = scope.Counter("update_empty");
        var source = cluster.Config.EdsClusterConfig.EdsConfig;
        _subscription = factory.Create(source, TypeUrl, this, Stats, ConfigPath.Join(cluster.Path, "eds_cluster_config.eds_config"));
    }

    /// <summary>The ClusterLoadAssignment name subscribed to.</summary>
    public string ServiceName { get; }

    public SubscriptionStats Stats { get; }

    public InitTarget Init { get; }

    public Task Initialized => Init.Initialized;

    /// <summary>The last accepted assignment (null before the first).</summary>
    public ClusterLoadAssignment? Assignment { get; private set; }

    public string VersionInfo { get; private set; } = string.Empty;

    public void Start() => _subscription.Start([ServiceName]);

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        if (resources.Count == 0)
        {
            // Envoy: an empty EDS response is not a deletion; it only ends warming.
            _updateEmpty.Inc();
            Init.Ready();
            return;
        }
        var index = -1;
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i].Name == ServiceName)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            throw new ConfigException(ConfigPath.Index("resources", 0), "Unexpected EDS cluster (expecting " + ServiceName + "): " + resources[0].Name);
        }
        var assignment = (ClusterLoadAssignment)resources[index].Resource;
        _cluster.UpdateHosts(assignment, ConfigPath.Index("resources", index));
        if (!assignment.Equals(Assignment))
        {
            Stats.ConfigReload.Inc();
        }
        Assignment = assignment;
        VersionInfo = versionInfo;
        Init.Ready();
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
    {
        for (var i = 0; i < added.Count; i++)
        {
            if (added[i].Name == ServiceName)
            {
                OnConfigUpdate([added[i]], systemVersionInfo);
                return;
            }
        }
        foreach (var name in removed)
        {
            if (name == ServiceName)
            {
                // A removed assignment empties the cluster, as a CLA without endpoints would.
                var empty = new ClusterLoadAssignment { ClusterName = ServiceName };
                _cluster.UpdateHosts(empty, "removed_resources");
                Assignment = empty;
                VersionInfo = systemVersionInfo;
                Init.Ready();
                return;
            }
        }
    }

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
    {
        if (reason == ConfigUpdateFailureReason.FetchTimedOut)
        {
            _logger.LogWarning("cluster {Cluster}: no ClusterLoadAssignment for {Service} within the initial fetch timeout", _cluster.Name, ServiceName);
        }
        if (reason != ConfigUpdateFailureReason.ConnectionFailure)
        {
            Init.Ready();
        }
    }

    public void Dispose() => _subscription.Dispose();
}
