namespace Legate.Http;

/// <summary>
/// Stands in for the downstream request body while <c>request_timeout</c> is armed. The read that finds the
/// body's end is the moment Envoy disarms the timer: the whole request has been received and passed on.
/// </summary>
internal sealed class RequestTimeoutBody(RequestTimeout timeout) : RequestBodyStream
{
    private Stream _inner = Null;
    private int _generation;

    /// <summary>Wraps the body of request <paramref name="generation"/> (a read still pending from an earlier request must not disarm this one).</summary>
    internal void Wrap(Stream inner, int generation)
    {
        _inner = inner;
        _generation = generation;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var generation = _generation;
        var pending = _inner.ReadAsync(buffer, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitReadAsync(pending, buffer.Length, generation);
        }
        var read = pending.Result;
        OnRead(read, buffer.Length, generation);
        return new ValueTask<int>(read);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> pending, int requested, int generation)
    {
        var read = await pending;
        OnRead(read, requested, generation);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var generation = _generation;
        var read = _inner.Read(buffer);
        OnRead(read, buffer.Length, generation);
        return read;
    }

    // A zero-byte read asks only whether data is there; its 0 is not the end of the body.
    private void OnRead(int read, int requested, int generation)
    {
        if (read == 0 && requested > 0)
        {
            timeout.Disarm(generation);
        }
    }
}
