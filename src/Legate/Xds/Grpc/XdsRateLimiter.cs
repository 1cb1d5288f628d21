namespace Legate.Xds.Grpc;

/// <summary>
/// api_config_source.rate_limit_settings: a token bucket on outgoing discovery requests (max_tokens
/// default 100, fill_rate default 10/s). Only built when the settings are present, as in Envoy.
/// </summary>
internal sealed class XdsRateLimiter
{
    private readonly double _maxTokens;
    private readonly double _fillRate;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    public XdsRateLimiter(Envoy.Config.Core.V3.RateLimitSettings settings, TimeProvider? time = null)
    {
        _maxTokens = settings.MaxTokens ?? 100;
        _fillRate = settings.FillRate ?? 10;
        if (_fillRate <= 0)
        {
            _fillRate = 10;
        }
        _time = time ?? TimeProvider.System;
        _tokens = _maxTokens;
        _lastRefill = _time.GetTimestamp();
    }

    /// <summary>Waits for a token, counting rate_limit_enforced and showing the queue in pending_requests meanwhile.</summary>
    public async Task WaitAsync(ControlPlaneStats stats, int queued, CancellationToken ct)
    {
        while (!TryTake(out var wait))
        {
            stats.RateLimitEnforced.Inc();
            stats.PendingRequests.Set(queued + 1);
            await Task.Delay(wait, ct).ConfigureAwait(false);
        }
        stats.PendingRequests.Set(0);
    }

    /// <summary>Takes a token, or says how long until one is there.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_maxTokens, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _fillRate));
        _lastRefill = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            wait = TimeSpan.Zero;
            return true;
        }
        wait = TimeSpan.FromSeconds((1 - _tokens) / _fillRate);
        return false;
    }
}
