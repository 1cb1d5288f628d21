namespace Legate.Upstream;

/// <summary>
/// Envoy's jittered exponential backoff (its <c>BackoffStrategy</c>), for re-establishing an xDS stream and for
/// tcp_proxy's connect attempts: each delay is drawn uniformly from [0, interval), the interval doubles up to the
/// maximum, and a success resets it.
/// </summary>
internal sealed class JitteredBackoff
{
    public static readonly TimeSpan DefaultBase = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(30);

    private readonly long _baseMs;
    private readonly long _maxMs;
    private readonly Random _random;
    private long _nextMs;

    public JitteredBackoff(TimeSpan baseInterval, TimeSpan maxInterval, Random? random = null)
    {
        _baseMs = Math.Max(1, (long)baseInterval.TotalMilliseconds);
        _maxMs = Math.Max(_baseMs, (long)maxInterval.TotalMilliseconds);
        _random = random ?? Random.Shared;
        _nextMs = _baseMs;
    }

    public TimeSpan BaseInterval => TimeSpan.FromMilliseconds(_baseMs);

    public TimeSpan MaxInterval => TimeSpan.FromMilliseconds(_maxMs);

    /// <summary>
    /// From a <c>BackoffStrategy</c> (an xDS gRPC service's <c>retry_policy.retry_back_off</c>, tcp_proxy's
    /// <c>backoff_options</c>) when set, its max defaulting to ten times the base as in Envoy; else 500 ms / 30 s.
    /// </summary>
    public static JitteredBackoff From(Envoy.Config.Core.V3.BackoffStrategy? strategy)
    {
        if (strategy?.BaseInterval is null)
        {
            return new JitteredBackoff(DefaultBase, DefaultMax);
        }
        var baseInterval = strategy.BaseInterval.ToTimeSpan();
        var max = strategy.MaxInterval?.ToTimeSpan() ?? baseInterval * 10;
        return new JitteredBackoff(baseInterval, max);
    }

    public TimeSpan Next()
    {
        var interval = _nextMs;
        _nextMs = _nextMs > _maxMs / 2 ? _maxMs : _nextMs * 2;
        return TimeSpan.FromMilliseconds(Math.Min(_random.NextInt64(interval), _maxMs));
    }

    public void Reset() => _nextMs = _baseMs;
}
