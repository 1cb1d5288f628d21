using System.Collections.Concurrent;
using Legate.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Envoy starts the route timeout when the downstream request is complete (its end of stream), not when
/// forwarding begins: a slow upload or a client-streaming gRPC call is not cut off while it is still sending.
/// Stands in for the request body of such a request and starts the router's deadline at the body's end.
/// Pooled: only requests whose body is still to come take one.
/// </summary>
internal sealed class RouteTimeoutBody : RequestBodyEndWatcher
{
    private const int MaxPooled = 256;
    private static readonly ConcurrentQueue<RouteTimeoutBody> s_pool = new();

    private readonly Lock _lock = new();
    private CancellationTokenSource? _deadline;
    private TimeSpan _timeout;
    private int _generation;

    protected override int CurrentRequest => Volatile.Read(ref _generation);

    /// <summary>Whether the request's body is still to be received (the router then defers its route timeout).</summary>
    public static bool BodyToCome(HttpStream stream)
    {
        var context = stream.Context;
        if (stream.UpgradeType is not null)
        {
            return false;
        }
        return context.Request.ContentLength is { } length
            ? length > 0
            : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
    }

    /// <summary>Puts a stand-in in front of the request body that starts <paramref name="deadline"/> at the body's end.</summary>
    public static RouteTimeoutBody Wrap(HttpRequest request, CancellationTokenSource deadline, TimeSpan timeout)
    {
        var body = s_pool.TryDequeue(out var pooled) ? pooled : new RouteTimeoutBody();
        lock (body._lock)
        {
            body._generation++;
            body.Inner = request.Body;
            body._deadline = deadline;
            body._timeout = timeout;
        }
        request.Body = body;
        return body;
    }

    /// <summary>
    /// The forward is over: the deadline goes back to its pool after this, so a read finishing late must not
    /// start it any more; the request gets its body back.
    /// </summary>
    public void Unwrap(HttpRequest request)
    {
        lock (_lock)
        {
            _deadline = null;
        }
        if (ReferenceEquals(request.Body, this))
        {
            request.Body = Inner;
        }
        Inner = Null;
        if (s_pool.Count < MaxPooled)
        {
            s_pool.Enqueue(this);
        }
    }

    protected override void OnEnd(int request)
    {
        lock (_lock)
        {
            // A read begun for an earlier request that used this pooled stand-in does not count.
            if (request == _generation)
            {
                _deadline?.CancelAfter(_timeout);
                _deadline = null;
            }
        }
    }
}
