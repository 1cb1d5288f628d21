namespace Legate.Stats;

/// <summary>
/// A value that goes up and down (active connections, membership counts). A gauge rejected by
/// stats_matcher is a shared instance whose updates return at once.
/// </summary>
public sealed class Gauge
{
    private readonly bool _rejected;
    private long _value;
    private bool _used;

    internal Gauge(string name, GaugeImportMode importMode, bool rejected = false)
    {
        Name = name;
        ImportMode = importMode;
        _rejected = rejected;
    }

    public string Name { get; }

    /// <summary>Envoy's hot-restart import mode; kept because /stats JSON shows accumulate vs neverimport.</summary>
    public GaugeImportMode ImportMode { get; }

    public long Value => Volatile.Read(ref _value);

    public bool Used => Volatile.Read(ref _used);

    /// <summary>False for the shared no-op handle given out for names stats_matcher rejects.</summary>
    public bool Enabled => !_rejected;

    public void Inc()
    {
        if (_rejected)
        {
            return;
        }
        MarkUsed();
        Interlocked.Increment(ref _value);
    }

    public void Dec()
    {
        if (_rejected)
        {
            return;
        }
        MarkUsed();
        Interlocked.Decrement(ref _value);
    }

    public void Add(long amount)
    {
        if (_rejected)
        {
            return;
        }
        MarkUsed();
        Interlocked.Add(ref _value, amount);
    }

    public void Sub(long amount) => Add(-amount);

    public void Set(long value)
    {
        if (_rejected)
        {
            return;
        }
        MarkUsed();
        Interlocked.Exchange(ref _value, value);
    }

    private void MarkUsed()
    {
        if (!_used)
        {
            _used = true;
        }
    }
}

public enum GaugeImportMode
{
    Accumulate,
    NeverImport,
}
