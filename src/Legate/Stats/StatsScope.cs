namespace Legate.Stats;

/// <summary>A name prefix over the store (<c>cluster.backend.</c>); nested scopes concatenate.</summary>
public readonly struct StatsScope
{
    private readonly StatsStore _store;

    public StatsScope(StatsStore store, string prefix)
    {
        _store = store;
        Prefix = prefix.Length == 0 || prefix[^1] == '.' ? prefix : prefix + ".";
    }

    public string Prefix { get; }

    public StatsStore Store => _store;

    public Counter Counter(string name) => _store.Counter(Prefix + name);

    public Gauge Gauge(string name, GaugeImportMode mode = GaugeImportMode.Accumulate) => _store.Gauge(Prefix + name, mode);

    public Histogram Histogram(string name, HistogramUnit unit = HistogramUnit.Milliseconds) => _store.Histogram(Prefix + name, unit);

    public TextReadout TextReadout(string name) => _store.TextReadout(Prefix + name);

    public StatsScope Scope(string name) => new(_store, Prefix + name);
}
