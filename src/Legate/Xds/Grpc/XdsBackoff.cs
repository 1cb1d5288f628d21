namespace Legate.Xds.Grpc;

/// <summary>
/// Envoy's jittered exponential backoff for re-establishing an xDS stream: each delay is drawn uniformly
/// from [0, interval), the interval doubles up to the maximum, and a message from the server resets it.
/// </summary>
internal sealed class XdsBackoff
{
    public static readonly TimeSpan DefaultBase = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(30);

    private readonly long _baseMs;
    private readonly long _maxMs;
    private readonly Random _random;
    private long _nextMs;

    public XdsBackoff(TimeSpan baseInterval, TimeSpan maxInterval, Random? random = null)
    {
        _baseMs = Math.Max(1, (long)baseInterval.TotalMilliseconds);
        _maxMs = Math.Max(_baseMs, (long)maxInterval.TotalMilliseconds);
        _random = random ?? Random.Shared;
        _nextMs = _baseMs;
    }

    public TimeSpan BaseInterval => TimeSpan.FromMilliseconds(_baseMs);

    public TimeSpan MaxInterval => TimeSpan.FromMilliseconds(_maxMs);

    /// <summary>
    /// From <c>retry_policy.retry_back_off</c> of the gRPC service when set (max defaults to ten times the
    /// base, as Envoy does), else 500 ms / 30 s.
    /// </summary>
    public static XdsBackoff From(Envoy.Config.Core.V3.BackoffStrategy? strategy)
    {
        if (strategy?.BaseInterval is null)
        {
            return new XdsBackoff(DefaultBase, DefaultMax);
        }
        var baseInterval = strategy.BaseInterval.ToTimeSpan();
        var max = strategy.MaxInterval?.ToTimeSpan() ?? baseInterval * 10;
        return new XdsBackoff(baseInterval, max);
    }

    public TimeSpan Next()
    {
        var interval = _nextMs;
        _nextMs = _nextMs > _maxMs / 2 ? _maxMs : _nextMs * 2;
        return TimeSpan.FromMilliseconds(Math.Min(_random.NextInt64(interval), _maxMs));
    }

    public void Reset() => _nextMs = _baseMs;
}
