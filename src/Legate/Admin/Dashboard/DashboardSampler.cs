using System.Diagnostics;
using System.Runtime.CompilerServices;
using Legate.Stats;
using Legate.Stats.Rendering;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Admin.Dashboard;

/// <summary>
/// Samples the stats store once a second into a ring of the last ten minutes, for /dashboard/data.
/// Runs on the admin server's timer, never on the request path: the data plane only bumps the
/// counters and histograms it already has; the sampler computes deltas from them.
/// </summary>
public sealed class DashboardSampler : IAsyncDisposable
{
    /// <summary>Ten minutes of one-second ticks.</summary>
    public const int Capacity = 600;

    /// <summary>Latency percentiles cover this many ticks, so a quiet second does not blank the plot.</summary>
    public const int LatencyWindowTicks = 5;

    /// <summary>Per-host request-rate history (ticks) shown as a sparkline.</summary>
    public const int HostHistoryTicks = 60;

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<AdminContext, DashboardSampler> s_samplers = new();
    private static readonly int[] s_percentileIndexes =
    [
        Array.IndexOf(HistogramQuantiles.SupportedPercents, 50.0),
        Array.IndexOf(HistogramQuantiles.SupportedPercents, 90.0),
        Array.IndexOf(HistogramQuantiles.SupportedPercents, 99.0),
    ];

    private readonly AdminContext _context;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly DashboardSample?[] _ring = new DashboardSample?[Capacity];
    private readonly DashboardStatSources _sources = new();
    private readonly Dictionary<string, long> _previousCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<Histogram, long[]> _previousBuckets = new(ReferenceEqualityComparer.Instance);
    private readonly long[][] _downstreamWindow = NewWindow();
    private readonly long[][] _upstreamWindow = NewWindow();
    private readonly Dictionary<Host, DashboardHostHistory> _hosts = new(ReferenceEqualityComparer.Instance);
    private string[] _hcmNames = [];
    private string[] _clusterNames = [];
    private long _sequence;
    private long _ticks;
    private long _lastTimestamp;
    private Timer? _timer;
    private int _ticking;

    private DashboardSampler(AdminContext context)
    {
        _context = context;
        _logger = context.Server.Context.LoggerFactory.CreateLogger("admin.dashboard");
    }

    /// <summary>The sampler of one admin server (created on first use, started by the admin server).</summary>
    public static DashboardSampler For(AdminContext context) => s_samplers.GetValue(context, static c => new DashboardSampler(c));

    /// <summary>Sequence number of the newest sample (0 before the second tick).</summary>
    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Takes the baseline now and a sample every <paramref name="interval"/>.</summary>
    public void Start(TimeSpan? interval = null)
    {
        var period = interval ?? DefaultInterval;
        lock (_lock)
        {
            if (_timer is not null)
            {
                return;
            }
            _timer = new Timer(static s => ((DashboardSampler)s!).Tick(), this, period, period);
        }
        Tick();
    }

    public async Task StopAsync()
    {
        Timer? timer;
        lock (_lock)
        {
            timer = _timer;
            _timer = null;
        }
        if (timer is not null)
        {
            await timer.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Takes one sample now (the first call only records the baseline). Overlapping calls are skipped.</summary>
    public void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }
        try
        {
            lock (_lock)
            {
                SampleLocked(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }
        }
        catch (Exception ex)
        {
            // A cluster or listener torn down mid-scan must not stop the timer.
            _logger.LogDebug(ex, "dashboard sample failed");
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    /// <summary>Samples newer than <paramref name="since"/>, oldest first.</summary>
    internal List<DashboardSample> SamplesSince(long since)
    {
        lock (_lock)
        {
            var result = new List<DashboardSample>();
            var first = Math.Max(Math.Max(since + 1, _sequence - Capacity + 1), 1);
            for (var seq = first; seq <= _sequence; seq++)
            {
                if (_ring[seq % Capacity] is { } sample && sample.Sequence == seq)
                {
                    result.Add(sample);
                }
            }
            return result;
        }
    }

    /// <summary>The host's requests per second over the last <see cref="HostHistoryTicks"/> ticks, oldest first.</summary>
    internal double[] HostRates(Host host)
    {
        lock (_lock)
        {
            return _hosts.TryGetValue(host, out var history) ? history.ToArray() : [];
        }
    }

    private void SampleLocked(long timestamp, long unixMs)
    {
        var baselined = _ticks > 0;
        var seconds = baselined ? Math.Max(Stopwatch.GetElapsedTime(_lastTimestamp, timestamp).TotalSeconds, 0.001) : 1;
        _lastTimestamp = timestamp;
        _ticks++;
        var store = _context.Server.Stats;
        _sources.Refresh(store);

        var hcms = _sources.HcmPrefixes;
        _hcmNames = SameNames(_hcmNames, hcms) ? _hcmNames : [.. hcms];
        var hcmRates = new double[hcms.Count];
        var codeRates = new double[5];
        var downstream = new long[Histogram.DefaultBuckets.Length + 1];
        for (var i = 0; i < hcms.Count; i++)
        {
            var prefix = "http." + hcms[i] + ".";
            hcmRates[i] = Rate(_sources.Counter(prefix + "downstream_rq_total"), seconds, baselined);
            for (var c = 0; c < 5; c++)
            {
                codeRates[c] += Rate(_sources.Counter(prefix + "downstream_rq_" + (c + 1) + "xx"), seconds, baselined);
            }
            AddDelta(_sources.Histogram(prefix + "downstream_rq_time"), downstream, baselined);
        }

        var clusters = new List<UpstreamCluster>(_context.Server.ClusterManager.Clusters);
        clusters.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        if (!SameNames(_clusterNames, clusters))
        {
            _clusterNames = new string[clusters.Count];
            for (var i = 0; i < clusters.Count; i++)
            {
                _clusterNames[i] = clusters[i].Name;
            }
        }
        var clusterRates = new double[clusters.Count];
        var clusterErrors = new double[clusters.Count];
        var upstream = new long[Histogram.DefaultBuckets.Length + 1];
        foreach (var history in _hosts.Values)
        {
            history.Seen = false;
        }
        for (var i = 0; i < clusters.Count; i++)
        {
            var stats = clusters[i].Stats;
            clusterRates[i] = Rate(stats.UpstreamRqTotal, seconds, baselined);
            clusterErrors[i] = Rate(_sources.Counter(stats.Prefix + "upstream_rq_5xx"), seconds, baselined);
            AddDelta(_sources.Histogram(stats.Prefix + "upstream_rq_time"), upstream, baselined);
            foreach (var host in clusters[i].PrioritySet.Hosts)
            {
                SampleHost(host, seconds, baselined);
            }
        }
        ForgetRemovedHosts();

        var slot = (int)(_ticks % LatencyWindowTicks);
        _downstreamWindow[slot] = downstream;
        _upstreamWindow[slot] = upstream;
        if (!baselined)
        {
            return;
        }
        _sequence++;
        _ring[_sequence % Capacity] = new DashboardSample
        {
            Sequence = _sequence,
            UnixMs = unixMs,
            Seconds = seconds,
            HcmNames = _hcmNames,
            HcmRates = hcmRates,
            CodeClassRates = codeRates,
            ClusterNames = _clusterNames,
            ClusterRates = clusterRates,
            ClusterErrorRates = clusterErrors,
            DownstreamLatency = Percentiles(_downstreamWindow),
            UpstreamLatency = Percentiles(_upstreamWindow),
        };
    }

    private double Rate(Counter? counter, double seconds, bool baselined)
    {
        // A name stats_matcher rejects is one shared no-op handle: nothing to plot.
        if (counter is null || !counter.Enabled)
        {
            return 0;
        }
        var now = counter.Value;
        long delta;
        if (_previousCounts.TryGetValue(counter.Name, out var before))
        {
            // After /reset_counters the value restarts from zero.
            delta = now >= before ? now - before : now;
        }
        else
        {
            // A counter that appears after the baseline was created on first use: all of it is new.
            delta = baselined ? now : 0;
        }
        _previousCounts[counter.Name] = now;
        return delta / seconds;
    }

    private void AddDelta(Histogram? histogram, long[] into, bool baselined)
    {
        if (histogram is null || !histogram.Enabled)
        {
            return;
        }
        var now = histogram.SnapshotBuckets();
        var known = _previousBuckets.TryGetValue(histogram, out var before);
        if (known || baselined)
        {
            for (var i = 0; i < into.Length; i++)
            {
                into[i] += Math.Max(0, now[i] - (known ? before![i] : 0));
            }
        }
        _previousBuckets[histogram] = now;
    }

    private void SampleHost(Host host, double seconds, bool baselined)
    {
        var total = Volatile.Read(ref host.Stats.RqTotal);
        if (!_hosts.TryGetValue(host, out var history))
        {
            history = new DashboardHostHistory { Previous = baselined ? 0 : total };
            _hosts[host] = history;
        }
        var delta = total >= history.Previous ? total - history.Previous : total;
        history.Previous = total;
        history.Seen = true;
        if (baselined)
        {
            history.Add(delta / seconds);
        }
    }

    private void ForgetRemovedHosts()
    {
        List<Host>? gone = null;
        foreach (var (host, history) in _hosts)
        {
            if (!history.Seen)
            {
                (gone ??= []).Add(host);
            }
        }
        foreach (var host in gone ?? [])
        {
            _hosts.Remove(host);
        }
    }

    private static double[] Percentiles(long[][] window)
    {
        var sum = new long[Histogram.DefaultBuckets.Length + 1];
        foreach (var tick in window)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += tick[i];
            }
        }
        var all = HistogramQuantiles.Compute(sum);
        return [all[s_percentileIndexes[0]], all[s_percentileIndexes[1]], all[s_percentileIndexes[2]]];
    }

    private static long[][] NewWindow()
    {
        var window = new long[LatencyWindowTicks][];
        for (var i = 0; i < window.Length; i++)
        {
            window[i] = new long[Histogram.DefaultBuckets.Length + 1];
        }
        return window;
    }

    private static bool SameNames(string[] names, IReadOnlyList<string> current)
    {
        if (names.Length != current.Count)
        {
            return false;
        }
        for (var i = 0; i < names.Length; i++)
        {
            if (!string.Equals(names[i], current[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameNames(string[] names, List<UpstreamCluster> current)
    {
        if (names.Length != current.Count)
        {
            return false;
        }
        for (var i = 0; i < names.Length; i++)
        {
            if (!string.Equals(names[i], current[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
