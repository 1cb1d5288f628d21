namespace Legate.Stats;

/// <summary>A monotonically increasing count. Handles are resolved once; Inc is a single interlocked add.</summary>
public sealed class Counter
{
    private long _value;
    private long _latched;

    internal Counter(string name) => Name = name;

    public string Name { get; }

    public long Value => Volatile.Read(ref _value);

    /// <summary>True once the counter was ever incremented (Envoy's "used" flag for usedonly).</summary>
    public bool Used { get; private set; }

    public void Inc()
    {
        Used = true;
        Interlocked.Increment(ref _value);
    }

    public void Add(long amount)
    {
        if (amount == 0)
        {
            return;
        }
        Used = true;
        Interlocked.Add(ref _value, amount);
    }

    /// <summary>Returns the increase since the previous call (for sinks and rate plots).</summary>
    public long Latch()
    {
        var now = Value;
        return now - Interlocked.Exchange(ref _latched, now);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _value, 0);
        Interlocked.Exchange(ref _latched, 0);
    }
}
