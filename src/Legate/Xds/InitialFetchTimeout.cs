namespace Legate.Xds;

/// <summary>
/// Envoy's initial_fetch_timeout around a resource type's callbacks: if neither an update nor a rejection
/// arrives in time, counts init_fetch_timeout and reports FetchTimedOut so the resource stops blocking
/// init. The subscription keeps running; a later update is applied as usual.
/// </summary>
internal sealed class InitialFetchTimeout : ISubscriptionCallbacks, IDisposable
{
    private readonly ISubscriptionCallbacks _inner;
    private readonly SubscriptionStats _stats;
    private readonly Lock _gate = new();
    private readonly TimeSpan _timeout;
    private ITimer? _timer;

    public InitialFetchTimeout(ISubscriptionCallbacks inner, SubscriptionStats stats, TimeSpan timeout, TimeProvider time)
    {
        _inner = inner;
        _stats = stats;
        if (timeout > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(static s => ((InitialFetchTimeout)s!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timeout = timeout;
        }
    }

    /// <summary>Starts the timer; called when the subscription starts.</summary>
    public void Arm()
    {
        lock (_gate)
        {
            _timer?.Change(_timeout, Timeout.InfiniteTimeSpan);
        }
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        Disarm();
        _inner.OnConfigUpdate(resources, versionInfo);
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
    {
        Disarm();
        _inner.OnConfigUpdate(added, removed, systemVersionInfo);
    }

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
    {
        // A connection failure keeps the init wait going: the source may come back before the timeout.
        if (reason != ConfigUpdateFailureReason.ConnectionFailure)
        {
            Disarm();
        }
        _inner.OnConfigUpdateFailed(reason, error);
    }

    public void Dispose() => Disarm();

    private void Disarm()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void OnTimeout()
    {
        lock (_gate)
        {
            if (_timer is null)
            {
                return;
            }
            _timer.Dispose();
            _timer = null;
        }
        _stats.InitFetchTimeout.Inc();
        _inner.OnConfigUpdateFailed(ConfigUpdateFailureReason.FetchTimedOut, null);
    }
}
