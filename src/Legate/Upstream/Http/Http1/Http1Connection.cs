using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Legate.Upstream.Http.Http1;

/// <summary>
/// One upstream HTTP/1.1 connection of a host's <see cref="Http1ConnectionPool"/>: the socket, its
/// receive buffer (bytes read past a response head stay here for the body reader), and the counters
/// the pool decides reuse by. Counts its bytes and its end in the cluster and host stats, and gives back
/// its max_connections slot, exactly once.
/// </summary>
internal sealed class Http1Connection
{
    public const int ReceiveBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly ClusterStats _stats;
    private readonly Host _host;
    private readonly long _openedAt;
    private readonly int _maxBufferSize;
    private int _closed;

    public Http1Connection(Socket socket, ClusterStats stats, Host host, long openedAt, int maxHeadBytes = ReceiveBufferSize)
    {
        // Room for the largest head the cluster accepts (max_response_headers_kb) plus its status line.
        _maxBufferSize = Math.Max(ReceiveBufferSize, maxHeadBytes + 1024);
        _socket = socket;
        _stats = stats;
        _host = host;
        _openedAt = openedAt;
        LastActivity = openedAt;
    }

    /// <summary>Received bytes not consumed yet live in Buffer[Start..End].</summary>
    public byte[] Buffer { get; private set; } = new byte[ReceiveBufferSize];

    /// <summary>The last response head read on this connection (reused: it caches header strings).</summary>
    public Http1ResponseHead Response { get; } = new();

    public int Start { get; set; }

    public int End { get; set; }

    public int Buffered => End - Start;

    /// <summary>Requests sent on this connection so far (max_requests_per_connection, stale-connection retry).</summary>
    public int RequestCount { get; set; }

    /// <summary>Stopwatch timestamp of the last byte moved; the pool's sweeper reads it for idle timeouts.</summary>
    public long LastActivity { get; set; }

    /// <summary>While a request runs: its stream idle timeout in Stopwatch ticks (0 = none).</summary>
    public long StreamIdleTicks { get; set; }

    /// <summary>Set when the sweeper aborted the connection because the stream went idle.</summary>
    public bool IdleTimedOut { get; set; }

    public long OpenedAt => _openedAt;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public Host Host => _host;

    /// <summary>The max_connections circuit breaker this connection counts against until it closes.</summary>
    public ResourceLimit? Slot { get; init; }

    // The socket operations usually complete at once (the data is already there, or the send buffer has
    // room): those paths return without an async state machine; the rest use pooled ones.
    public ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        var pending = _socket.SendAsync(data, SocketFlags.None);
        if (!pending.IsCompletedSuccessfully)
        {
            return SendRestAsync(pending, data);
        }
        // A ValueTask's result is read once: the socket reuses its operation object afterwards.
        var sent = pending.Result;
        Sent(sent);
        return sent == data.Length ? ValueTask.CompletedTask : SendRestAsync(_socket.SendAsync(data[sent..], SocketFlags.None), data[sent..]);
    }

    /// <summary>Reads into <paramref name="destination"/>; 0 means the upstream closed.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> destination)
    {
        var pending = _socket.ReceiveAsync(destination, SocketFlags.None);
        return pending.IsCompletedSuccessfully ? new ValueTask<int>(Received(pending.Result)) : AwaitReceiveAsync(pending);
    }

    /// <summary>Reads more into the receive buffer (compacting it first); 0 means the upstream closed.</summary>
    public ValueTask<int> FillAsync()
    {
        var pending = ReceiveMoreAsync();
        // Never hand out a ValueTask whose result was already taken: its source may be recycled by then.
        return pending.IsCompletedSuccessfully ? new ValueTask<int>(Filled(pending.Result)) : AwaitFillAsync(pending);
    }

    /// <summary>
    /// The socket's own read into the receive buffer (compacted, or grown for a large head, first). The caller
    /// awaits it and passes the result to <see cref="Filled"/>: no async method of ours sits between the socket
    /// and the caller, which on the response head's path would be two more suspended frames per request.
    /// </summary>
    public ValueTask<int> ReceiveMoreAsync()
    {
        if (Start > 0)
        {
            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
            End -= Start;
            Start = 0;
        }
        if (End == Buffer.Length)
        {
            if (Buffer.Length >= _maxBufferSize)
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "upstream response head larger than max_response_headers_kb");
            }
            // Most heads fit the initial buffer; a large one grows it up to the cluster's limit.
            var grown = new byte[Math.Min(Buffer.Length * 2, _maxBufferSize)];
            Buffer.AsSpan(0, End).CopyTo(grown);
            Buffer = grown;
        }
        return _socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None);
    }

    /// <summary>Takes in what <see cref="ReceiveMoreAsync"/> read; 0 means the upstream closed.</summary>
    public int Filled(int read)
    {
        End += read;
        return Received(read);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendRestAsync(ValueTask<int> pending, ReadOnlyMemory<byte> data)
    {
        while (true)
        {
            var sent = await pending.ConfigureAwait(false);
            Sent(sent);
            data = data[sent..];
            if (data.IsEmpty)
            {
                return;
            }
            pending = _socket.SendAsync(data, SocketFlags.None);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReceiveAsync(ValueTask<int> pending) => Received(await pending.ConfigureAwait(false));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitFillAsync(ValueTask<int> pending) => Filled(await pending.ConfigureAwait(false));

    private void Sent(int bytes)
    {
        _stats.UpstreamCxTxBytesTotal.Add(bytes);
        LastActivity = Stopwatch.GetTimestamp();
    }

    private int Received(int read)
    {
        if (read > 0)
        {
            _stats.UpstreamCxRxBytesTotal.Add(read);
            LastActivity = Stopwatch.GetTimestamp();
        }
        return read;
    }

    /// <summary>
    /// True when the idle connection has nothing unread and the peer has not closed it; a pooled connection
    /// that fails this is closed instead of reused.
    /// </summary>
    public bool IsReusable()
    {
        if (IsClosed || Buffered != 0)
        {
            return false;
        }
        try
        {
            // Readable while idle means either unexpected bytes or the peer's FIN: neither can carry a new request.
            return !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Closes the socket (pending I/O fails) and ends the connection's life in the stats, once.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _socket.Dispose();
        Slot?.Release();
        _stats.UpstreamRqPerCx.Record(RequestCount);
        UpstreamConnector.Closed(_stats, _host, Stopwatch.GetElapsedTime(_openedAt));
    }
}
