using Legate.Config;
using Legate.Stats;
using Legate.Xds;
using Legate.Xds.Eds;
using Microsoft.Extensions.Logging;
using Cluster = Envoy.Config.Cluster.V3.Cluster;

namespace Legate.Upstream;

/// <summary>
/// Owns every upstream cluster. Readers get clusters from an immutable name → cluster snapshot without
/// locks; adds, updates and removals build a new snapshot and swap it. A replaced or removed cluster stops
/// discovery at once and keeps its HTTP client for <see cref="DrainTime"/> so in-flight requests finish.
/// EDS clusters get their endpoint subscription here; a cluster added through the API (CDS) warms (is not
/// yet routable, and the cluster it replaces keeps serving) until its first assignment or initial fetch
/// timeout, as in Envoy.
/// </summary>
public sealed class ClusterManager : IDisposable
{
    /// <summary>How long InitializeAsync waits for DNS clusters' first resolution.</summary>
    public static readonly TimeSpan DefaultInitializationTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly StatsStore _stats;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DrainingClusters _draining;
    private readonly Counter _clusterAdded;
    private readonly Counter _clusterModified;
    private readonly Counter _clusterRemoved;
    private readonly Gauge _activeClusters;
    private readonly WarmingClusters _warming;
    private readonly Dictionary<UpstreamCluster, EdsClusterSubscription> _eds = new(ReferenceEqualityComparer.Instance);
    private ClusterSnapshot _clusters = ClusterSnapshot.Empty;
    private bool _disposed;

    public ClusterManager(StatsStore stats, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _stats = stats;
        _logger = loggers.CreateLogger("upstream");
        _time = time ?? TimeProvider.System;
        _draining = new DrainingClusters(_time);
        var scope = stats.Scope("cluster_manager");
        _clusterAdded = scope.Counter("cluster_added");
        _clusterModified = scope.Counter("cluster_modified");
        _clusterRemoved = scope.Counter("cluster_removed");
        _activeClusters = scope.Gauge("active_clusters", GaugeImportMode.NeverImport);
        _warming = new WarmingClusters(scope.Gauge("warming_clusters", GaugeImportMode.NeverImport));
    }

    /// <summary>Where EDS clusters get their subscriptions; without one (bare unit tests) EDS clusters stay empty.</summary>
    public ISubscriptionFactory? SubscriptionFactory { get; set; }

    /// <summary>Clusters added through the API that wait for their first endpoints, sorted by nothing in particular.</summary>
    public IReadOnlyList<UpstreamCluster> WarmingClusters
    {
        get
        {
            lock (_gate)
            {
                return [.. _warming.Values];
            }
        }
    }

    /// <summary>The EDS subscription of a cluster (active or warming), if it has one.</summary>
    public EdsClusterSubscription? EdsSubscriptionOf(UpstreamCluster cluster)
    {
        lock (_gate)
        {
            return _eds.GetValueOrDefault(cluster);
        }
    }

    /// <summary>How long a replaced or removed cluster's HTTP client stays open for in-flight requests.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitializationTimeout { get; init; } = DefaultInitializationTimeout;

    public IReadOnlyCollection<UpstreamCluster> Clusters => Volatile.Read(ref _clusters).Values;

    /// <summary>Lock-free lookup in the current snapshot.</summary>
    public UpstreamCluster? Get(string name) => Volatile.Read(ref _clusters).Get(name);

    /// <summary>
    /// Builds the cluster and publishes it, replacing a cluster of the same name. Throws ConfigException
    /// (path + ".field") for bad config, leaving the current cluster in place. A config equal to the
    /// current one changes nothing and returns the existing cluster (compare references to tell).
    /// </summary>
    public UpstreamCluster AddOrUpdateCluster(Cluster config, string path, bool addedViaApi = false)
    {
        var prepared = Prepare(config, path, addedViaApi);
        return prepared is null ? (GetWarmingOrActive(config.Name) ?? throw new InvalidOperationException("cluster vanished")) : Publish(prepared);
    }

    /// <summary>
    /// Builds every cluster of a list (e.g. static_resources.clusters; entry i has the path
    /// <c>listPath[i]</c>) and publishes them in two batches, one snapshot each, so startup with thousands
    /// of clusters stays linear: first the clusters without EDS, then the EDS clusters, whose subscriptions
    /// may name a cluster of the first batch (Envoy's primary/secondary cluster order). Throws
    /// ConfigException for the first bad cluster of a batch, publishing nothing of that batch.
    /// </summary>
    public void AddOrUpdateClusters(IReadOnlyList<Cluster> configs, string listPath, bool addedViaApi = false)
    {
        PublishAll(PrepareAll(configs, listPath, addedViaApi, eds: false));
        PublishAll(PrepareAll(configs, listPath, addedViaApi, eds: true));
    }

    private List<PreparedCluster> PrepareAll(IReadOnlyList<Cluster> configs, string listPath, bool addedViaApi, bool eds)
    {
        var prepared = new List<PreparedCluster>(eds ? 0 : configs.Count);
        try
        {
            for (var i = 0; i < configs.Count; i++)
            {
                if ((configs[i].EdsClusterConfig?.EdsConfig is not null) == eds
                    && Prepare(configs[i], ConfigPath.Index(listPath, i), addedViaApi) is { } cluster)
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
        return prepared;
    }

    /// <summary>
    /// Validates and builds a cluster (and its EDS subscription) without publishing it, so a CDS update
    /// can check every cluster before changing any. Null when the config equals the current (or warming)
    /// cluster's. Throws ConfigException under <paramref name="path"/>.
    /// </summary>
    internal PreparedCluster? Prepare(Cluster config, string path, bool addedViaApi)
    {
        var existing = GetWarmingOrActive(config.Name);
        if (existing is not null && existing.Config.Equals(config) && existing.AddedViaApi == addedViaApi)
        {
            return null;
        }
        var cluster = new UpstreamCluster(config, path, addedViaApi, _stats, _logger, _time);
        EdsClusterSubscription? eds = null;
        if (SubscriptionFactory is { } factory && config.EdsClusterConfig?.EdsConfig is not null && cluster.ClusterTypeName == "envoy.cluster.eds")
        {
            try
            {
                eds = new EdsClusterSubscription(cluster, factory, _stats, _logger);
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }
        return new PreparedCluster(cluster, eds);
    }

    /// <summary>
    /// Publishes a prepared cluster: at once, or, for an API cluster with EDS, after it warmed (the cluster
    /// it replaces keeps serving meanwhile). Counts cluster_added / cluster_modified now, as Envoy does.
    /// </summary>
    internal UpstreamCluster Publish(PreparedCluster prepared)
    {
        PublishAll([prepared]);
        return prepared.Cluster;
    }

    /// <summary>
    /// <see cref="Publish"/> for several prepared clusters (a CDS update, the bootstrap's static clusters)
    /// with one snapshot swap for all that activate now. Later entries win over earlier ones of the same name.
    /// </summary>
    internal void PublishAll(IReadOnlyList<PreparedCluster> prepared)
    {
        if (prepared.Count == 0)
        {
            return;
        }
        var supersededWarming = new List<UpstreamCluster>();
        var changes = new List<KeyValuePair<string, UpstreamCluster?>>(prepared.Count);
        var replaced = new List<UpstreamCluster>();
        var batchNames = new HashSet<string>(prepared.Count, StringComparer.Ordinal);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var p in prepared)
            {
                var cluster = p.Cluster;
                var known = !batchNames.Add(cluster.Name) || _clusters.Contains(cluster.Name) || _warming.Contains(cluster.Name);
                (known ? _clusterModified : _clusterAdded).Inc();
                if (p.Eds is not null)
                {
                    _eds[cluster] = p.Eds;
                }
                if (_warming.Remove(cluster.Name, out var superseded))
                {
                    supersededWarming.Add(superseded);
                }
                if (IsWarming(p))
                {
                    _warming.Add(cluster);
                }
                else
                {
                    changes.Add(new(cluster.Name, cluster));
                }
            }
            Swap(changes, replaced);
        }
        foreach (var p in prepared)
        {
            if (IsWarming(p))
            {
                p.Eds!.Start();
                var activation = ActivateWhenWarmAsync(p.Cluster, p.Eds.Initialized);
                lock (_gate)
                {
                    _warming.TrackActivation(activation);
                }
            }
            else
            {
                p.Cluster.Start();
                p.Eds?.Start();
            }
        }
        // After the starts: a cluster superseded within this batch is started, then retired at once.
        foreach (var cluster in supersededWarming)
        {
            Retire(cluster);
        }
        foreach (var cluster in replaced)
        {
            Retire(cluster);
        }
    }

    private static bool IsWarming(PreparedCluster prepared) => prepared.Eds is not null && prepared.Cluster.AddedViaApi;

    /// <summary>Applies changes to the snapshot and publishes it; call under <see cref="_gate"/>.</summary>
    private void Swap(List<KeyValuePair<string, UpstreamCluster?>> changes, List<UpstreamCluster> replaced)
    {
        var next = _clusters.With(changes, replaced);
        Volatile.Write(ref _clusters, next);
        _activeClusters.Set(next.Count);
    }

    private async Task ActivateWhenWarmAsync(UpstreamCluster cluster, Task warmed)
    {
        await warmed.ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed || !_warming.IsCurrent(cluster))
            {
                // Removed or replaced while warming.
                return;
            }
            _warming.Remove(cluster.Name, out _);
        }
        _logger.LogInformation("cluster {Cluster} warmed and is now active", cluster.Name);
        Activate(cluster);
    }

    private void Activate(UpstreamCluster cluster)
    {
        var replaced = new List<UpstreamCluster>(1);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Swap([new(cluster.Name, cluster)], replaced);
        }
        cluster.Start();
        foreach (var r in replaced)
        {
            Retire(r);
        }
    }

    private UpstreamCluster? GetWarmingOrActive(string name)
    {
        lock (_gate)
        {
            return _warming.Get(name) ?? _clusters.Get(name);
        }
    }

    public bool RemoveCluster(string name) => RemoveClusters([name]).Count > 0;

    /// <summary>Removes clusters (active or warming) with one snapshot swap; returns the names that existed.</summary>
    public IReadOnlyList<string> RemoveClusters(IReadOnlyList<string> names)
    {
        var removedNames = new List<string>();
        var warming = new List<UpstreamCluster>();
        var removed = new List<UpstreamCluster>();
        lock (_gate)
        {
            if (_disposed)
            {
                return removedNames;
            }
            var changes = new List<KeyValuePair<string, UpstreamCluster?>>(names.Count);
            foreach (var name in names)
            {
                var wasWarming = _warming.Remove(name, out var w);
                if (wasWarming)
                {
                    warming.Add(w!);
                }
                var active = _clusters.Contains(name);
                if (active)
                {
                    changes.Add(new(name, null));
                }
                if (wasWarming || active)
                {
                    removedNames.Add(name);
                    _clusterRemoved.Inc();
                }
            }
            Swap(changes, removed);
        }
        foreach (var cluster in warming)
        {
            Retire(cluster);
        }
        foreach (var cluster in removed)
        {
            // Envoy drops a removed cluster's membership from the stats it still shows.
            cluster.Stats.SetMembership(0, 0, 0, 0);
            Retire(cluster);
        }
        return removedNames;
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
        lock (_gate)
        {
            // Static EDS clusters block init until their first assignment; API clusters until they warmed.
            foreach (var eds in _eds.Values)
            {
                if (!eds.Initialized.IsCompleted)
                {
                    waits.Add(eds.Initialized);
                }
            }
            _warming.AddPendingActivations(waits);
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
            toDispose = [.. _clusters.Values, .. _warming.Clear()];
            foreach (var eds in _eds.Values)
            {
                eds.Dispose();
            }
            _eds.Clear();
            _clusters = ClusterSnapshot.Empty;
        }
        toDispose.AddRange(_draining.Close());
        foreach (var cluster in toDispose)
        {
            cluster.Dispose();
        }
    }

    private void Retire(UpstreamCluster cluster)
    {
        cluster.StopDiscovery();
        EdsClusterSubscription? eds;
        lock (_gate)
        {
            _eds.Remove(cluster, out eds);
        }
        eds?.Dispose();
        _draining.Add(cluster, DrainTime);
    }
}
