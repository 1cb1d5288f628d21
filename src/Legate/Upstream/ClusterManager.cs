using System.Collections.Frozen;
using Legate.Stats;
using Microsoft.Extensions.Logging;
using Cluster = Envoy.Config.Cluster.V3.Cluster;

namespace Legate.Upstream;

/// <summary>
/// Owns every upstream cluster. Readers get clusters from an immutable name → cluster snapshot without
/// locks; adds, updates and removals build a new snapshot and swap it. A replaced or removed cluster stops
/// discovery at once and keeps its HTTP client for <see cref="DrainTime"/> so in-flight requests finish.
/// </summary>
public sealed class ClusterManager : IDisposable
{
    /// <summary>How long InitializeAsync waits for DNS clusters' first resolution.</summary>
    public static readonly TimeSpan DefaultInitializationTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly StatsStore _stats;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _disposing = new();
    private readonly List<UpstreamCluster> _draining = [];
    private readonly Counter _clusterAdded;
    private readonly Counter _clusterModified;
    private readonly Counter _clusterRemoved;
    private readonly Gauge _activeClusters;
    private FrozenDictionary<string, UpstreamCluster> _clusters = FrozenDictionary<string, UpstreamCluster>.Empty;
    private bool _disposed;

    public ClusterManager(StatsStore stats, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _stats = stats;
        _logger = loggers.CreateLogger("upstream");
        _time = time ?? TimeProvider.System;
        var scope = stats.Scope("cluster_manager");
        _clusterAdded = scope.Counter("cluster_added");
        _clusterModified = scope.Counter("cluster_modified");
        _clusterRemoved = scope.Counter("cluster_removed");
        _activeClusters = scope.Gauge("active_clusters", GaugeImportMode.NeverImport);
        scope.Gauge("warming_clusters", GaugeImportMode.NeverImport);
    }

    /// <summary>How long a replaced or removed cluster's HTTP client stays open for in-flight requests.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitializationTimeout { get; init; } = DefaultInitializationTimeout;

    public IReadOnlyCollection<UpstreamCluster> Clusters => Volatile.Read(ref _clusters).Values;

    /// <summary>Lock-free lookup in the current snapshot.</summary>
    public UpstreamCluster? Get(string name) => Volatile.Read(ref _clusters).GetValueOrDefault(name);

    /// <summary>
    /// Builds the cluster and publishes it, replacing a cluster of the same name. Throws ConfigException
    /// (path + ".field") for bad config, leaving the current cluster in place. A config equal to the
    /// current one changes nothing and returns the existing cluster (compare references to tell).
    /// </summary>
    public UpstreamCluster AddOrUpdateCluster(Cluster config, string path, bool addedViaApi = false)
    {
        var existing = Get(config.Name);
        if (existing is not null && existing.Config.Equals(config) && existing.AddedViaApi == addedViaApi)
        {
            return existing;
        }
        var cluster = new UpstreamCluster(config, path, addedViaApi, _stats, _logger, _time);
        UpstreamCluster? replaced;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var next = new Dictionary<string, UpstreamCluster>(_clusters, StringComparer.Ordinal);
            next.TryGetValue(config.Name, out replaced);
            next[config.Name] = cluster;
            Volatile.Write(ref _clusters, next.ToFrozenDictionary(StringComparer.Ordinal));
            if (replaced is null)
            {
                _clusterAdded.Inc();
            }
            else
            {
                _clusterModified.Inc();
            }
            _activeClusters.Set(next.Count);
        }
        cluster.Start();
        if (replaced is not null)
        {
            Retire(replaced);
        }
        return cluster;
    }

    public bool RemoveCluster(string name)
    {
        UpstreamCluster? removed;
        lock (_gate)
        {
            if (_disposed || !_clusters.TryGetValue(name, out removed))
            {
                return false;
            }
            var next = new Dictionary<string, UpstreamCluster>(_clusters, StringComparer.Ordinal);
            next.Remove(name);
            Volatile.Write(ref _clusters, next.ToFrozenDictionary(StringComparer.Ordinal));
            _clusterRemoved.Inc();
            _activeClusters.Set(next.Count);
        }
        // Envoy drops a removed cluster's membership from the stats it still shows.
        removed.Stats.MembershipTotal.Set(0);
        removed.Stats.MembershipHealthy.Set(0);
        removed.Stats.MembershipDegraded.Set(0);
        removed.Stats.MembershipExcluded.Set(0);
        Retire(removed);
        return true;
    }

    /// <summary>
    /// Envoy's cluster init: waits until every DNS cluster that waits for warm-up (wait_for_warm_on_init,
    /// default true) finished its first resolution, at most <see cref="InitializationTimeout"/>.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var waits = new List<Task>();
        foreach (var cluster in Clusters)
        {
            if (cluster.WaitForWarmOnInit && !cluster.Initialized.IsCompleted)
            {
                waits.Add(cluster.Initialized);
            }
        }
        if (waits.Count == 0)
        {
            return;
        }
        try
        {
            await Task.WhenAll(waits).WaitAsync(InitializationTimeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("cluster initialization did not finish within {Timeout}; continuing", InitializationTimeout);
        }
    }

    public void Dispose()
    {
        List<UpstreamCluster> toDispose;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            toDispose = [.. _clusters.Values, .. _draining];
            _draining.Clear();
            _clusters = FrozenDictionary<string, UpstreamCluster>.Empty;
        }
        // Cancelled, not disposed: drain timers may still be registering on its token.
        _disposing.Cancel();
        foreach (var cluster in toDispose)
        {
            cluster.Dispose();
        }
    }

    private void Retire(UpstreamCluster cluster)
    {
        cluster.StopDiscovery();
        CancellationToken disposing;
        lock (_gate)
        {
            if (_disposed)
            {
                cluster.Dispose();
                return;
            }
            _draining.Add(cluster);
            disposing = _disposing.Token;
        }
        _ = DisposeAfterDrainAsync(cluster, disposing);
    }

    private async Task DisposeAfterDrainAsync(UpstreamCluster cluster, CancellationToken ct)
    {
        try
        {
            await Task.Delay(DrainTime, _time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Dispose() disposes draining clusters itself.
            return;
        }
        lock (_gate)
        {
            _draining.Remove(cluster);
        }
        cluster.Dispose();
    }
}
