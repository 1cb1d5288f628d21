namespace Legate.Stats;

/// <summary>
/// A distribution of values (milliseconds unless the unit says otherwise) kept in Envoy's default
/// bucket bounds, cumulative over the process life and per flush interval.
/// </summary>
public sealed class Histogram
{
    /// <summary>Envoy's default histogram bucket upper bounds.</summary>
    public static readonly double[] DefaultBuckets =
    [
        0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
    ];

    private readonly long[] _bucketCounts = new long[DefaultBuckets.Length + 1];
    private long _count;
    private long _sumTimes1000;

    internal Histogram(string name, HistogramUnit unit)
    {
        Name = name;
        Unit = unit;
    }

    public string Name { get; }

    public HistogramUnit Unit { get; }

    public bool Used { get; private set; }

    public long SampleCount => Volatile.Read(ref _count);

    public double SampleSum => Volatile.Read(ref _sumTimes1000) / 1000.0;

    public void Record(double value)
    {
        Used = true;
        var i = 0;
        var buckets = DefaultBuckets;
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
        var copy = new long[_bucketCounts.Length];
        for (var i = 0; i < copy.Length; i++)
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
