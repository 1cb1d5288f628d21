using System.Collections.Concurrent;

namespace Legate.Stats;

/// <summary>
/// The process-wide set of stats. Lookups by name happen when a snapshot (listener, cluster, route
/// table) is built; the request path only touches the returned handles.
/// </summary>
public sealed class StatsStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Gauge> _gauges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> _histograms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TextReadout> _textReadouts = new(StringComparer.Ordinal);

    public StatsScope Root => new(this, string.Empty);

    public Counter Counter(string name) => _counters.GetOrAdd(name, static n => new Counter(n));

    public Gauge Gauge(string name, GaugeImportMode mode = GaugeImportMode.Accumulate) =>
        _gauges.GetOrAdd(name, static (n, m) => new Gauge(n, m), mode);

    public Histogram Histogram(string name, HistogramUnit unit = HistogramUnit.Milliseconds) =>
        _histograms.GetOrAdd(name, static (n, u) => new Histogram(n, u), unit);

    public TextReadout TextReadout(string name) => _textReadouts.GetOrAdd(name, static n => new TextReadout(n));

    public StatsScope Scope(string prefix) => new(this, prefix);

    public IEnumerable<Counter> Counters => _counters.Values;

    public IEnumerable<Gauge> Gauges => _gauges.Values;

    public IEnumerable<Histogram> Histograms => _histograms.Values;

    public IEnumerable<TextReadout> TextReadouts => _textReadouts.Values;

    public void ResetCounters()
    {
        foreach (var c in _counters.Values)
        {
            c.Reset();
        }
    }
}
