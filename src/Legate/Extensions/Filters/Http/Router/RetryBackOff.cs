using Microsoft.AspNetCore.Http;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Envoy's fully jittered exponential back-off between retries: the n-th retry waits a uniform random
/// time in [0, (2^n - 1) * base), capped at the max interval. A struct held in the request's retry state.
/// </summary>
internal struct RetryBackOff
{
    private readonly long _baseMs;
    private readonly long _maxMs;
    private int _retry;

    public RetryBackOff(TimeSpan baseInterval, TimeSpan maxInterval)
    {
        _baseMs = Math.Max(1, (long)baseInterval.TotalMilliseconds);
        _maxMs = Math.Max(_baseMs, (long)maxInterval.TotalMilliseconds);
        _retry = 1;
    }

    /// <summary>The upper bound (exclusive, before the cap) of the next wait, for tests and logs.</summary>
    public readonly long NextCeilingMs => Ceiling(_retry);

    public TimeSpan Next(Random random)
    {
        var ceiling = Ceiling(_retry);
        // Stop growing once past the cap: the shift would otherwise overflow after ~60 retries.
        if (ceiling <= _maxMs)
        {
            _retry++;
        }
        var ms = Math.Min(random.NextInt64(ceiling), _maxMs);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>Waits out the back-off; false when the deadline or the downstream ended the request meanwhile.</summary>
    public static async ValueTask<bool> WaitAsync(TimeSpan backOff, CancellationTokenSource? deadlineCts, HttpContext context)
    {
        if (backOff > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(backOff, deadlineCts?.Token ?? context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return deadlineCts is not { IsCancellationRequested: true } && !context.RequestAborted.IsCancellationRequested;
    }

    private readonly long Ceiling(int retry) => ((1L << Math.Min(retry, 40)) - 1) * _baseMs;
}
