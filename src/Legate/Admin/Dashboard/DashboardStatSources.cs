using Legate.Stats;

namespace Legate.Admin.Dashboard;

/// <summary>
/// Finds the stats the dashboard plots by scanning the store once per tick. It never creates a stat:
/// a lookup through StatsStore.Counter would add names that /stats then lists and Envoy would not.
/// Rebuilt every tick so counters that appear on first use (downstream_rq_5xx, upstream_rq_time) are
/// picked up within a second.
/// </summary>
internal sealed class DashboardStatSources
{
    private const string HttpPrefix = "http.";
    private const string ClusterPrefix = "cluster.";
    private const string DownstreamRqTotal = ".downstream_rq_total";

    // The admin's own traffic is the dashboard polling itself; plotting it would only show the poll rate.
    private const string AdminStatPrefix = "admin";

    private static readonly string[] s_counterSuffixes =
    [
        ".downstream_rq_total", ".downstream_rq_1xx", ".downstream_rq_2xx", ".downstream_rq_3xx", ".downstream_rq_4xx",
        ".downstream_rq_5xx", ".upstream_rq_total", ".upstream_rq_5xx",
    ];

    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Histogram> _histograms = new(StringComparer.Ordinal);
    private readonly List<string> _hcmPrefixes = [];

    /// <summary>Stat prefixes of the HTTP connection managers (without "http." and the trailing dot), sorted.</summary>
    public IReadOnlyList<string> HcmPrefixes => _hcmPrefixes;

    public Counter? Counter(string name) => _counters.GetValueOrDefault(name);

    public Histogram? Histogram(string name) => _histograms.GetValueOrDefault(name);

    public void Refresh(StatsStore store)
    {
        _counters.Clear();
        _histograms.Clear();
        _hcmPrefixes.Clear();
        foreach (var counter in store.Counters)
        {
            var name = counter.Name;
            if (!IsHttpOrCluster(name) || !EndsWithAny(name, s_counterSuffixes))
            {
                continue;
            }
            _counters[name] = counter;
            if (name.StartsWith(HttpPrefix, StringComparison.Ordinal) && name.EndsWith(DownstreamRqTotal, StringComparison.Ordinal)
                && name.Length > HttpPrefix.Length + DownstreamRqTotal.Length)
            {
                var prefix = name[HttpPrefix.Length..^DownstreamRqTotal.Length];
                if (prefix != AdminStatPrefix)
                {
                    _hcmPrefixes.Add(prefix);
                }
            }
        }
        foreach (var histogram in store.Histograms)
        {
            var name = histogram.Name;
            if (IsHttpOrCluster(name) && name.EndsWith("_rq_time", StringComparison.Ordinal))
            {
                _histograms[name] = histogram;
            }
        }
        _hcmPrefixes.Sort(StringComparer.Ordinal);
    }

    private static bool IsHttpOrCluster(string name) =>
        name.StartsWith(HttpPrefix, StringComparison.Ordinal) || name.StartsWith(ClusterPrefix, StringComparison.Ordinal);

    private static bool EndsWithAny(string name, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
