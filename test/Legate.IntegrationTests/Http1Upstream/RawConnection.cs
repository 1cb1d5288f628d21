using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>
/// One accepted upstream connection of a <see cref="RawUpstream"/>: reads the proxy's HTTP/1.1 requests
/// exactly as they arrived (names as sent, body de-chunked) and writes whatever bytes a script says.
/// Every operation times out after <see cref="RawUpstream.OperationTimeout"/>.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationToken _stop;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RawConnection(Socket socket, int number, CancellationToken stop)
    {
        _socket = socket;
        Number = number;
        _stop = stop;
    }

    /// <summary>1 for the first connection the upstream accepted, 2 for the next, ...</summary>
    public int Number { get; }

    /// <summary>Requests read on this connection so far.</summary>
    public int Requests { get; private set; }

    /// <summary>The next request, or null when the proxy closed the connection between requests.</summary>
    public async Task<RawRequest?> ReadRequestAsync()
    {
        if (await ReadHeadAsync() is not { } request)
        {
            return null;
        }
        byte[] body = [];
        if (request.Header("transfer-encoding") is { } te)
        {
            if (!te.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException("unexpected transfer-encoding: " + te);
            }
            body = await ReadChunkedAsync();
        }
        else if (request.Header("content-length") is { } length)
        {
            body = await ReadExactlyAsync(long.Parse(length, NumberStyles.None, CultureInfo.InvariantCulture));
        }
        Requests++;
        return request with { Body = body };
    }

    /// <summary>
    /// The next request's head only (its <see cref="RawRequest.Body"/> empty), for a script that answers before reading
    /// the body; null when the proxy closed the connection between requests.
    /// </summary>
    public async Task<RawRequest?> ReadHeadAsync()
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (await FillAsync() == 0)
            {
                if (_end == _start)
                {
                    return null;
                }
                throw new IOException("proxy closed the connection inside a request head");
            }
        }
        var head = Encoding.Latin1.GetString(_buffer, _start, headEnd);
        _start += headEnd + 4;
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3)
        {
            throw new InvalidDataException("bad request line: " + lines[0]);
        }
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException("bad header line: " + lines[i]);
            }
            headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }
        return new RawRequest(requestLine[0], requestLine[1], requestLine[2], headers, []);
    }

    public Task SendAsync(string latin1) => SendAsync(Encoding.Latin1.GetBytes(latin1));

    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        using var timeout = Timeout();
        while (data.Length > 0)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, timeout.Token);
            data = data[sent..];
        }
    }

    /// <summary>Completes when the proxy closes (or resets) the connection; throws if it stays open past the timeout.</summary>
    public async Task WaitForCloseAsync()
    {
        try
        {
            while (await FillAsync() > 0)
            {
                _start = _end;
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
    }

    /// <summary>Ends the connection with a FIN after everything sent so far.</summary>
    public void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReadChunkedAsync()
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync();
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var size = long.Parse(semicolon >= 0 ? line[..semicolon] : line, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync()).Length > 0)
                {
                }
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size));
            if ((await ReadLineAsync()).Length != 0)
            {
                throw new InvalidDataException("chunk longer than its size line");
            }
        }
    }

    private async Task<string> ReadLineAsync()
    {
        int newline;
        while ((newline = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (await FillAsync() == 0)
            {
                throw new IOException("proxy closed the connection inside a chunked body");
            }
        }
        var line = Encoding.Latin1.GetString(_buffer, _start, newline);
        _start += newline + 2;
        return line;
    }

    private async Task<byte[]> ReadExactlyAsync(long length)
    {
        var result = new byte[length];
        var done = 0;
        while (done < length)
        {
            if (_end == _start && await FillAsync() == 0)
            {
                throw new IOException("proxy closed the connection after " + done + " of " + length + " body bytes");
            }
            var take = (int)Math.Min(_end - _start, length - done);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(done));
            _start += take;
            done += take;
        }
        return result;
    }

    private async Task<int> FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        using var timeout = Timeout();
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
        _end += read;
        return read;
    }

    private CancellationTokenSource Timeout()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop);
        cts.CancelAfter(RawUpstream.OperationTimeout);
        return cts;
    }
}
