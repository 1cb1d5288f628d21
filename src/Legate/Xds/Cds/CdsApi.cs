using Envoy.Config.Core.V3;
using Legate.Config;
using Legate.Upstream;
using Microsoft.Extensions.Logging;
using Cluster = Envoy.Config.Cluster.V3.Cluster;

namespace Legate.Xds.Cds;

/// <summary>
/// CDS: a wildcard subscription whose state-of-the-world updates add, update and remove API clusters
/// (bootstrap clusters are never touched). Every cluster of an update is validated before any is applied,
/// so one bad cluster rejects the whole update with its <c>resources[i]</c> path. Stats: <c>cluster_manager.cds.</c>.
/// </summary>
public sealed class CdsApi : ISubscriptionCallbacks, IDisposable
{
    public const string TypeUrl = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    private readonly ClusterManager _clusters;
    private readonly ILogger _logger;
    private readonly ISubscription _subscription;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);

    public CdsApi(ConfigSource source, string path, ClusterManager clusters, ISubscriptionFactory factory, Stats.StatsStore stats, ILoggerFactory loggers)
    {
        _clusters = clusters;
        _logger = loggers.CreateLogger("upstream");
        Stats = new SubscriptionStats(stats.Scope("cluster_manager.cds"));
        Init = new InitTarget("CDS");
        _subscription = factory.Create(source, TypeUrl, this, Stats, path);
    }

    public SubscriptionStats Stats { get; }

    public InitTarget Init { get; }

    /// <summary>The last accepted CDS version_info.</summary>
    public string VersionInfo { get; private set; } = string.Empty;

    /// <summary>The version_info of the update that last added or changed <paramref name="cluster"/>.</summary>
    public string VersionOf(string cluster)
    {
        lock (_gate)
        {
            return _versions.GetValueOrDefault(cluster, string.Empty);
        }
    }

    public void Start() => _subscription.Start([]);

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            names.Add(resource.Name);
        }
        var removed = new List<string>();
        foreach (var cluster in _clusters.Clusters)
        {
            if (cluster.AddedViaApi && !names.Contains(cluster.Name))
            {
                removed.Add(cluster.Name);
            }
        }
        foreach (var cluster in _clusters.WarmingClusters)
        {
            if (!names.Contains(cluster.Name))
            {
                removed.Add(cluster.Name);
            }
        }
        Apply(resources, removed, versionInfo);
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo) =>
        Apply(added, removed, systemVersionInfo);

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
    {
        if (reason != ConfigUpdateFailureReason.ConnectionFailure)
        {
            Init.Ready();
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void Apply(IReadOnlyList<DecodedResource> resources, IReadOnlyList<string> removed, string versionInfo)
    {
        var prepared = new List<PreparedCluster>(resources.Count);
        try
        {
            for (var i = 0; i < resources.Count; i++)
            {
                var config = (Cluster)resources[i].Resource;
                if (_clusters.Get(config.Name) is { AddedViaApi: false })
                {
                    _logger.LogInformation("cds: add/update cluster '{Cluster}' skipped: it is a static cluster", config.Name);
                    continue;
                }
                if (_clusters.Prepare(config, ConfigPath.Index("resources", i), addedViaApi: true) is { } cluster)
                {
                    prepared.Add(cluster);
                }
            }
        }
        catch
        {
            PreparedCluster.DisposeAll(prepared);
            throw;
        }
        var removedCount = 0;
        foreach (var name in removed)
        {
            if (_clusters.Get(name) is { AddedViaApi: false })
            {
                continue;
            }
            if (_clusters.RemoveCluster(name))
            {
                removedCount++;
                _logger.LogInformation("cds: removing cluster '{Cluster}'", name);
            }
        }
        lock (_gate)
        {
            foreach (var p in prepared)
            {
                _versions[p.Cluster.Name] = versionInfo;
            }
            foreach (var name in removed)
            {
                _versions.Remove(name);
            }
        }
        _clusters.PublishAll(prepared);
        if (prepared.Count > 0 || removedCount > 0)
        {
            Stats.ConfigReload.Inc();
            _logger.LogInformation("cds: added/updated {Added} cluster(s), removed {Removed} cluster(s) (version {Version})", prepared.Count, removedCount, versionInfo);
        }
        VersionInfo = versionInfo;
        Init.Ready();
    }
}
