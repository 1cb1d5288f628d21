namespace Legate.Stats;

/// <summary>A value that goes up and down (active connections, membership counts).</summary>
public sealed class Gauge
{
    private long _value;

    internal Gauge(string name, GaugeImportMode importMode)
    {
        Name = name;
        ImportMode = importMode;
    }

    public string Name { get; }

    /// <summary>Envoy's hot-restart import mode; kept because /stats JSON shows accumulate vs neverimport.</summary>
    public GaugeImportMode ImportMode { get; }

    public long Value => Volatile.Read(ref _value);

    public bool Used { get; private set; }

    public void Inc()
    {
        Used = true;
        Interlocked.Increment(ref _value);
    }

    public void Dec()
    {
        Used = true;
        Interlocked.Decrement(ref _value);
    }

    public void Add(long amount)
    {
        Used = true;
        Interlocked.Add(ref _value, amount);
    }

    public void Sub(long amount) => Add(-amount);

    public void Set(long value)
    {
        Used = true;
        Interlocked.Exchange(ref _value, value);
    }
}

public enum GaugeImportMode
{
    Accumulate,
    NeverImport,
}
