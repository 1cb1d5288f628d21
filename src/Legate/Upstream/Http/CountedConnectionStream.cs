namespace Legate.Upstream.Http;

/// <summary>
/// The upstream connection's stream as SocketsHttpHandler sees it. Counts bytes into the cluster's
/// upstream_cx_rx/tx_bytes_total and, when the pool closes the connection, ends the connection's life
/// in the cluster and host stats exactly once.
/// </summary>
internal sealed class CountedConnectionStream : Stream
{
    private readonly Stream _inner;
    private readonly ClusterStats _stats;
    private readonly Host? _host;
    private readonly TimeProvider _time;
    private readonly long _openedAt;
    private int _closed;

    public CountedConnectionStream(Stream inner, ClusterStats stats, Host? host, TimeProvider time, long openedAt)
    {
        _inner = inner;
        _stats = stats;
        _host = host;
        _time = time;
        _openedAt = openedAt;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override bool CanTimeout => _inner.CanTimeout;

    public override int ReadTimeout { get => _inner.ReadTimeout; set => _inner.ReadTimeout = value; }

    public override int WriteTimeout { get => _inner.WriteTimeout; set => _inner.WriteTimeout = value; }

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Received(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Received(_inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Received(await _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = _inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(Received(read.Result)) : AwaitReadAsync(read);
    }

    // Pooled so a read that has to wait for the socket does not allocate a state machine per call.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read) => Received(await read.ConfigureAwait(false));

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        _stats.UpstreamCxTxBytesTotal.Add(count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _stats.UpstreamCxTxBytesTotal.Add(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _stats.UpstreamCxTxBytesTotal.Add(buffer.Length);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Closed();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Closed();
        await _inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private int Received(int bytes)
    {
        if (bytes > 0)
        {
            _stats.UpstreamCxRxBytesTotal.Add(bytes);
        }
        return bytes;
    }

    private void Closed()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        UpstreamConnector.Closed(_stats, _host, _time.GetElapsedTime(_openedAt));
    }
}
