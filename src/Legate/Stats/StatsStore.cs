using System.Collections.Concurrent;
using Legate.Stats.Rendering;

namespace Legate.Stats;

/// <summary>
/// The process-wide set of stats. Lookups by name happen when a snapshot (listener, cluster, route
/// table) is built; the request path only touches the returned handles. Names rejected by
/// stats_config.stats_matcher get one shared no-op handle per type and are never listed.
/// </summary>
public sealed class StatsStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Gauge> _gauges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> _histograms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TextReadout> _textReadouts = new(StringComparer.Ordinal);
    private readonly StatsMatcher _matcher;
    private readonly Counter _rejectedCounter = new(string.Empty, rejected: true);
    private readonly Gauge _rejectedGauge = new(string.Empty, GaugeImportMode.NeverImport, rejected: true);
    private readonly Histogram _rejectedHistogram = new(string.Empty, HistogramUnit.Unspecified, rejected: true);
    private readonly TextReadout _rejectedTextReadout = new(string.Empty, rejected: true);

    public StatsStore()
        : this(null)
    {
    }

    /// <summary>A store configured by the bootstrap's stats_config (null: accept every stat, default tags).</summary>
    /// <exception cref="Legate.Config.ConfigException">stats_matcher or stats_tags is invalid.</exception>
    public StatsStore(Envoy.Config.Metrics.V3.StatsConfig? config)
    {
        Config = config;
        _matcher = StatsMatcher.Compile(config?.StatsMatcher);
        TagExtractor = TagExtractor.Create(config);
    }

    public StatsScope Root => new(this, string.Empty);

    /// <summary>The stats_config the store was built from (null when none).</summary>
    public Envoy.Config.Metrics.V3.StatsConfig? Config { get; }

    /// <summary>Turns names into tag-extracted names and tags (Prometheus families and labels).</summary>
    public TagExtractor TagExtractor { get; }

    public Counter Counter(string name) =>
        _counters.TryGetValue(name, out var c) ? c
        : _matcher.Rejects(name) ? _rejectedCounter
        : _counters.GetOrAdd(name, static n => new Counter(n));

    public Gauge Gauge(string name, GaugeImportMode mode = GaugeImportMode.Accumulate) =>
        _gauges.TryGetValue(name, out var g) ? g
        : _matcher.Rejects(name) ? _rejectedGauge
        : _gauges.GetOrAdd(name, static (n, m) => new Gauge(n, m), mode);

    public Histogram Histogram(string name, HistogramUnit unit = HistogramUnit.Milliseconds) =>
        _histograms.TryGetValue(name, out var h) ? h
        : _matcher.Rejects(name) ? _rejectedHistogram
        : _histograms.GetOrAdd(name, static (n, u) => new Histogram(n, u), unit);

    public TextReadout TextReadout(string name) =>
        _textReadouts.TryGetValue(name, out var t) ? t
        : _matcher.Rejects(name) ? _rejectedTextReadout
        : _textReadouts.GetOrAdd(name, static n => new TextReadout(n));

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
