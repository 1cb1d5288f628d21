namespace Legate.Http;

/// <summary>
/// A stand-in for the downstream request body that passes reads through and tells its owner when the body has
/// ended: the read that asked for bytes and got none. Envoy's timers that depend on the request being complete
/// (request_timeout's disarm, the route timeout's start) hang off that moment.
/// </summary>
internal abstract class RequestBodyEndWatcher : RequestBodyStream
{
    /// <summary>The body being watched (the server's, or another stand-in).</summary>
    protected Stream Inner { get; set; } = Null;

    /// <summary>
    /// Which request a read belongs to, taken when it starts and handed to <see cref="OnEnd"/>: a watcher kept
    /// with a pooled stream must not let a read begun for an earlier request count for the current one.
    /// </summary>
    protected virtual int CurrentRequest => 0;

    /// <summary>The body of request <paramref name="request"/> (see <see cref="CurrentRequest"/>) has ended.</summary>
    protected abstract void OnEnd(int request);

    public sealed override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var request = CurrentRequest;
        var pending = Inner.ReadAsync(buffer, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitReadAsync(pending, buffer.Length, request);
        }
        var read = pending.Result;
        OnRead(read, buffer.Length, request);
        return new ValueTask<int>(read);
    }

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override int Read(Span<byte> buffer)
    {
        var request = CurrentRequest;
        var read = Inner.Read(buffer);
        OnRead(read, buffer.Length, request);
        return read;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> pending, int requested, int request)
    {
        var read = await pending;
        OnRead(read, requested, request);
        return read;
    }

    // A zero-byte read only asks whether data is there; its 0 is not the end of the body.
    private void OnRead(int read, int requested, int request)
    {
        if (read == 0 && requested > 0)
        {
            OnEnd(request);
        }
    }
}
