namespace Legate.Upstream.Http.Http1;

/// <summary>
/// A request waiting in a host's <see cref="Http1ConnectionPool"/> at max_connections. The pool hands it
/// a released connection, or null when a connection closed and its slot may be taken; the request's
/// deadline or its downstream going away ends the wait.
/// </summary>
internal sealed class Http1ConnectionWaiter
{
    // Handing over happens under the pool's lock: the waiting request must resume elsewhere.
    private readonly TaskCompletionSource<Http1Connection?> _handed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>False when the waiter already gave up (the pool then tries the next one).</summary>
    public bool TryHand(Http1Connection? connection) => _handed.TrySetResult(connection);

    public async ValueTask<Http1Connection?> WaitAsync(Http1ConnectionPool pool, CancellationToken deadline, CancellationToken downstreamGone)
    {
        using var byDeadline = deadline.UnsafeRegister(static (s, t) => ((Http1ConnectionWaiter)s!)._handed.TrySetCanceled(t), this);
        using var byDownstream = downstreamGone.UnsafeRegister(static (s, t) => ((Http1ConnectionWaiter)s!)._handed.TrySetCanceled(t), this);
        try
        {
            return await _handed.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            pool.Forget(this);
            throw;
        }
    }
}
