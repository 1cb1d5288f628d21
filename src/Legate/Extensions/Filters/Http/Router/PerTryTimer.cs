namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// An attempt's per_try_timeout, started when Envoy starts it: once the connection pool has a connection
/// for the attempt and the downstream request is complete. Waiting for a connection (max_connections, a
/// slow connect) or for the rest of an upload does not count against the try.
/// </summary>
internal readonly struct PerTryTimer(CancellationTokenSource? attempt, TimeSpan timeout)
{
    /// <summary>No per_try_timeout on this attempt.</summary>
    public static PerTryTimer None => default;

    public void Start()
    {
        try
        {
            attempt?.CancelAfter(timeout);
        }
        catch (ObjectDisposedException)
        {
            // The attempt already ended (a body still being sent when the response failed).
        }
    }
}
