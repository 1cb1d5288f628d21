namespace Legate.Upstream;

/// <summary>
/// Envoy's per-host counters and gauges shown by /clusters. Plain fields updated with Interlocked
/// (they are not in the StatsStore: Envoy does not emit them unless per_endpoint_stats is set).
/// </summary>
public sealed class HostStats
{
    public long CxActive;
    public long CxConnectFail;
    public long CxTotal;
    public long RqActive;
    public long RqError;
    public long RqSuccess;
    public long RqTimeout;
    public long RqTotal;

    /// <summary>Active requests as the least-request balancer reads it.</summary>
    public long ActiveRequests => Volatile.Read(ref RqActive);

    /// <summary>Call when a request is sent to the host.</summary>
    public void OnRequestStart()
    {
        Interlocked.Increment(ref RqTotal);
        Interlocked.Increment(ref RqActive);
    }

    /// <summary>Call when the request to the host ends (success = a non-5xx response).</summary>
    public void OnRequestEnd(bool success)
    {
        Interlocked.Decrement(ref RqActive);
        if (success)
        {
            Interlocked.Increment(ref RqSuccess);
        }
        else
        {
            Interlocked.Increment(ref RqError);
        }
    }

    public void OnRequestTimeout() => Interlocked.Increment(ref RqTimeout);
}
