namespace Legate.Stats;

/// <summary>
/// A distribution of values (milliseconds unless the unit says otherwise) kept in Envoy's default
/// bucket bounds, cumulative over the process life; <see cref="Rendering.HistogramIntervals"/> derives the
/// per-flush-interval view. Recording is a bucket search and three interlocked adds: no lock, no allocation.
/// </summary>
public sealed class Histogram
{
    /// <summary>Envoy's default histogram bucket upper bounds.</summary>
    public static readonly double[] DefaultBuckets =
    [
        0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
    ];

    private readonly bool _rejected;
    private readonly long[] _bucketCounts;
    private long _count;
    private long _sumTimes1000;
    private bool _used;

    internal Histogram(string name, HistogramUnit unit, bool rejected = false)
    {
        Name = name;
        Unit = unit;
        _rejected = rejected;
        _bucketCounts = rejected ? [] : new long[DefaultBuckets.Length + 1];
    }

    public string Name { get; }

    public HistogramUnit Unit { get; }

    public bool Used => Volatile.Read(ref _used);

    /// <summary>False for the shared no-op handle given out for names stats_matcher rejects.</summary>
    public bool Enabled => !_rejected;

    public long SampleCount => Volatile.Read(ref _count);

    public double SampleSum => Volatile.Read(ref _sumTimes1000) / 1000.0;

    public void Record(double value)
    {
        if (_rejected)
        {
            return;
        }
        if (!_used)
        {
            _used = true;
        }
        var i = 0;
        var buckets = DefaultBuckets;
        // Samples land in the first bucket whose bound is >= value (Prometheus "le" semantics).
        while (i < buckets.Length && value > buckets[i])
        {
            i++;
        }
        Interlocked.Increment(ref _bucketCounts[i]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumTimes1000, (long)(value * 1000));
    }

    /// <summary>Count of samples that fell into each bucket (last slot = above the largest bound).</summary>
    public long[] SnapshotBuckets()
    {
        var copy = new long[DefaultBuckets.Length + 1];
        for (var i = 0; i < _bucketCounts.Length; i++)
        {
            copy[i] = Volatile.Read(ref _bucketCounts[i]);
        }
        return copy;
    }

    public void Reset()
    {
        for (var i = 0; i < _bucketCounts.Length; i++)
        {
            Interlocked.Exchange(ref _bucketCounts[i], 0);
        }
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _sumTimes1000, 0);
    }
}

public enum HistogramUnit
{
    Unspecified,
    Bytes,
    Microseconds,
    Milliseconds,
    Percent,
}
