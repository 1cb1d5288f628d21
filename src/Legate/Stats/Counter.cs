namespace Legate.Stats;

/// <summary>
/// A monotonically increasing count. Handles are resolved once; Inc is a single interlocked add.
/// A counter rejected by stats_matcher is a shared instance whose updates return at once.
/// </summary>
public sealed class Counter
{
    private readonly bool _rejected;
    private long _value;
    private long _latched;
    private bool _used;

    internal Counter(string name, bool rejected = false)
    {
        Name = name;
        _rejected = rejected;
    }

    public string Name { get; }

    public long Value => Volatile.Read(ref _value);

    /// <summary>True once the counter was ever incremented (Envoy's "used" flag for usedonly).</summary>
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

    public void Add(long amount)
    {
        if (amount == 0 || _rejected)
        {
            return;
        }
        MarkUsed();
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

    // Read before write: once set, the flag's cache line stays shared instead of being rewritten per increment.
    private void MarkUsed()
    {
        if (!_used)
        {
            _used = true;
        }
    }
}
