using System.Collections.Frozen;

namespace Legate.Upstream;

/// <summary>
/// An immutable name → cluster map read without locks on the request path. It is a frozen base plus a
/// small overlay of changes since the base was built (a null value marks a removal), so one add, update
/// or removal costs a copy of the overlay rather than of every cluster: with 10,000 clusters, per-cluster
/// rebuilds of the whole map made startup and large CDS updates quadratic. The overlay folds into a new
/// base once it outgrows about twice the square root of the base, which keeps both the copy per change
/// and the amortised rebuild cost near O(√n).
/// </summary>
internal sealed class ClusterSnapshot
{
    public static readonly ClusterSnapshot Empty = new(FrozenDictionary<string, UpstreamCluster>.Empty, null, 0);

    private const int MinOverlayLimit = 32;

    private readonly FrozenDictionary<string, UpstreamCluster> _base;
    private readonly Dictionary<string, UpstreamCluster?>? _overlay;
    private UpstreamCluster[]? _values;

    private ClusterSnapshot(FrozenDictionary<string, UpstreamCluster> @base, Dictionary<string, UpstreamCluster?>? overlay, int count)
    {
        _base = @base;
        _overlay = overlay;
        Count = count;
    }

    public int Count { get; }

    public UpstreamCluster? Get(string name)
    {
        if (_overlay is { } overlay && overlay.TryGetValue(name, out var changed))
        {
            return changed;
        }
        return _base.GetValueOrDefault(name);
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>Every cluster, materialised once per snapshot (admin and init read it, not requests).</summary>
    public IReadOnlyCollection<UpstreamCluster> Values
    {
        get
        {
            if (Volatile.Read(ref _values) is { } values)
            {
                return values;
            }
            var list = new UpstreamCluster[Count];
            var n = 0;
            foreach (var (name, cluster) in _base)
            {
                if (_overlay is null || !_overlay.ContainsKey(name))
                {
                    list[n++] = cluster;
                }
            }
            if (_overlay is not null)
            {
                foreach (var cluster in _overlay.Values)
                {
                    if (cluster is not null)
                    {
                        list[n++] = cluster;
                    }
                }
            }
            Volatile.Write(ref _values, list);
            return list;
        }
    }

    /// <summary>
    /// A snapshot with <paramref name="changes"/> applied in order (a null cluster removes the name).
    /// <paramref name="replaced"/> collects the clusters the changes displaced.
    /// </summary>
    public ClusterSnapshot With(IReadOnlyList<KeyValuePair<string, UpstreamCluster?>> changes, List<UpstreamCluster> replaced)
    {
        if (changes.Count == 0)
        {
            return this;
        }
        var overlay = _overlay is null
            ? new Dictionary<string, UpstreamCluster?>(changes.Count, StringComparer.Ordinal)
            : new Dictionary<string, UpstreamCluster?>(_overlay, StringComparer.Ordinal);
        var count = Count;
        foreach (var (name, cluster) in changes)
        {
            var before = overlay.TryGetValue(name, out var inOverlay) ? inOverlay : _base.GetValueOrDefault(name);
            if (before is not null)
            {
                replaced.Add(before);
                count--;
            }
            if (cluster is not null)
            {
                count++;
            }
            if (cluster is null && !_base.ContainsKey(name))
            {
                // Nothing in the base to mask: drop the entry rather than keep a tombstone.
                overlay.Remove(name);
            }
            else
            {
                overlay[name] = cluster;
            }
        }
        if (overlay.Count <= OverlayLimit(_base.Count))
        {
            return new ClusterSnapshot(_base, overlay.Count == 0 ? null : overlay, count);
        }
        var merged = new Dictionary<string, UpstreamCluster>(count, StringComparer.Ordinal);
        foreach (var (name, cluster) in _base)
        {
            if (!overlay.ContainsKey(name))
            {
                merged[name] = cluster;
            }
        }
        foreach (var (name, cluster) in overlay)
        {
            if (cluster is not null)
            {
                merged[name] = cluster;
            }
        }
        return new ClusterSnapshot(merged.ToFrozenDictionary(StringComparer.Ordinal), null, count);
    }

    private static int OverlayLimit(int baseCount) => MinOverlayLimit + (2 * (int)Math.Sqrt(baseCount));
}
