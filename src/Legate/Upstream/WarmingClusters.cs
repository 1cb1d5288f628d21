using System.Diagnostics.CodeAnalysis;
using Legate.Stats;

namespace Legate.Upstream;

/// <summary>
/// Clusters added through the API that wait for their first endpoints before routing may find them (Envoy's
/// warming clusters), with the activations that move them into the active snapshot and the
/// <c>cluster_manager.warming_clusters</c> gauge. Not thread-safe: the cluster manager's lock guards it.
/// </summary>
internal sealed class WarmingClusters(Gauge gauge)
{
    private readonly Dictionary<string, UpstreamCluster> _clusters = new(StringComparer.Ordinal);
    private readonly List<Task> _activations = [];

    public IReadOnlyCollection<UpstreamCluster> Values => _clusters.Values;

    public bool Contains(string name) => _clusters.ContainsKey(name);

    public UpstreamCluster? Get(string name) => _clusters.GetValueOrDefault(name);

    /// <summary>Whether <paramref name="cluster"/> is still the warming cluster of its name.</summary>
    public bool IsCurrent(UpstreamCluster cluster) =>
        _clusters.TryGetValue(cluster.Name, out var current) && ReferenceEquals(current, cluster);

    public void Add(UpstreamCluster cluster)
    {
        _clusters[cluster.Name] = cluster;
        gauge.Set(_clusters.Count);
    }

    public bool Remove(string name, [MaybeNullWhen(false)] out UpstreamCluster cluster)
    {
        var removed = _clusters.Remove(name, out cluster);
        gauge.Set(_clusters.Count);
        return removed;
    }

    /// <summary>
    /// Keeps the task that activates a warming cluster, so init waits for the activation itself and not just the
    /// first assignment: otherwise a listener built right after init could miss a cluster still leaving warming.
    /// </summary>
    public void TrackActivation(Task activation)
    {
        _activations.RemoveAll(t => t.IsCompleted);
        _activations.Add(activation);
    }

    /// <summary>Adds the activations that have not finished yet to <paramref name="waits"/>.</summary>
    public void AddPendingActivations(List<Task> waits)
    {
        foreach (var activation in _activations)
        {
            if (!activation.IsCompleted)
            {
                waits.Add(activation);
            }
        }
    }

    /// <summary>Empties the set and hands back what it held, for the caller to dispose.</summary>
    public List<UpstreamCluster> Clear()
    {
        List<UpstreamCluster> all = [.. _clusters.Values];
        _clusters.Clear();
        gauge.Set(0);
        return all;
    }
}
