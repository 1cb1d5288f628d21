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
internal sealed class RouteTimeoutBody : RequestBodyStream
{
    private const int MaxPooled = 256;
    private static readonly ConcurrentQueue<RouteTimeoutBody> s_pool = new();

    private readonly Lock _lock = new();
    private Stream _inner = Null;
    private CancellationTokenSource? _deadline;
    private TimeSpan _timeout;

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
            body._inner = request.Body;
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
            request.Body = _inner;
        }
        _inner = Null;
        if (s_pool.Count < MaxPooled)
        {
            s_pool.Enqueue(this);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var pending = _inner.ReadAsync(buffer, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitReadAsync(pending, buffer.Length);
        }
        var read = pending.Result;
        OnRead(read, buffer.Length);
        return new ValueTask<int>(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        OnRead(read, buffer.Length);
        return read;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> pending, int requested)
    {
        var read = await pending;
        OnRead(read, requested);
        return read;
    }

    // A zero-byte read only asks whether data is there; its 0 is not the end of the body.
    private void OnRead(int read, int requested)
    {
        if (read == 0 && requested > 0)
        {
            lock (_lock)
            {
                _deadline?.CancelAfter(_timeout);
                _deadline = null;
            }
        }
    }
}
