using Legate.Stats;

namespace Legate.Upstream;

/// <summary>
/// One circuit breaker of a cluster and routing priority: connections, pending requests, requests or
/// retries in use against their maximum. Keeps <c>circuit_breakers.&lt;priority&gt;.*_open</c> at 1 while
/// the maximum is reached and, with track_remaining, <c>remaining_*</c> at what is left, as Envoy does.
/// </summary>
public sealed class ResourceLimit
{
    private readonly long _max;
    private readonly Func<long>? _dynamicMax;
    private readonly Gauge _open;
    private readonly Gauge? _remaining;
    private long _count;

    internal ResourceLimit(uint max, Gauge open, Gauge? remaining)
    {
        _max = max;
        _open = open;
        _remaining = remaining;
        _remaining?.Set(max);
    }

    /// <summary>A limit whose maximum follows other counts (the retry budget); its gauges are written on every change.</summary>
    internal ResourceLimit(Func<long> max, Gauge open, Gauge? remaining)
    {
        _dynamicMax = max;
        _open = open;
        _remaining = remaining;
        _remaining?.Set(max());
    }

    public long Max => _dynamicMax is null ? _max : _dynamicMax();

    public long Count => Volatile.Read(ref _count);

    /// <summary>Takes one unit unless the maximum is reached.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _count);
            var max = Max;
            if (current >= max)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _count, current + 1, current) == current)
            {
                Changed(current + 1, current + 1 == max);
                return true;
            }
        }
    }

    /// <summary>Takes one unit even past the maximum (Envoy lets a host with no connection open one).</summary>
    public void Acquire()
    {
        var now = Interlocked.Increment(ref _count);
        Changed(now, true);
    }

    public void Release()
    {
        var now = Interlocked.Decrement(ref _count);
        Changed(now, now == _max - 1);
    }

    // The open gauge is written only when the count crosses the maximum (always for a moving maximum), so
    // the common case costs no store to a shared gauge; the re-read after writing settles a crossing raced
    // by another thread.
    private void Changed(long count, bool crossed)
    {
        var max = Max;
        if (crossed || _dynamicMax is not null)
        {
            _open.Set(count >= max ? 1 : 0);
            var settled = Count >= max ? 1 : 0;
            if (settled != (count >= max ? 1 : 0))
            {
                _open.Set(settled);
            }
        }
        _remaining?.Set(Math.Max(0, max - Count));
    }
}
