using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

/// <summary>
/// What a downstream HTTP/1.1 codec of Legate's own could cost if it kept ASP.NET's HttpContext for the filters:
/// bare sockets, a minimal request-head parser filling a <see cref="DefaultHttpContext"/> over hand-made features,
/// the Kestrel floor's handler unchanged, and the response head written from the context's status and headers.
/// Between the socket floor and the Kestrel floor, it tells how much of Kestrel's share such a codec would save.
/// Like the other floors it is no server: GET without a body, no limits, no validation.
/// </summary>
internal static class ContextFloor
{
    public static Task RunAsync(IPEndPoint listen, UpstreamPool upstream) =>
        SocketFloor.AcceptAsync(listen, socket => new Connection(socket, upstream).ServeAsync());

    private sealed class Connection
    {
        private readonly Socket _socket;
        private readonly byte[] _request = new byte[8192];
        private readonly HttpRequestFeature _requestFeature = new();
        private readonly HttpResponseFeature _responseFeature = new();
        private readonly BufferedBody _body = new();
        private readonly DefaultHttpContext _context;
        private readonly KestrelFloor.Application _application;
        private byte[] _response = new byte[16 * 1024];

        public Connection(Socket socket, UpstreamPool upstream)
        {
            _socket = socket;
            _application = new KestrelFloor.Application(upstream);
            var features = new FeatureCollection();
            features.Set<IHttpRequestFeature>(_requestFeature);
            features.Set<IHttpResponseFeature>(_responseFeature);
            features.Set<IHttpResponseBodyFeature>(_body);
            _context = new DefaultHttpContext(features);
        }

        public async Task ServeAsync()
        {
            using (_socket)
            {
                try
                {
                    var filled = 0;
                    while (true)
                    {
                        (var end, filled) = await SocketFloor.ReadHeadAsync(_socket, _request, filled);
                        if (end < 0)
                        {
                            return;
                        }
                        Parse(_request.AsSpan(0, end));
                        await _application.ProcessRequestAsync(_context);
                        var length = WriteResponse();
                        await _socket.SendAsync(_response.AsMemory(0, length), SocketFlags.None);
                        _request.AsSpan(end, filled - end).CopyTo(_request);
                        filled -= end;
                    }
                }
                catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
                {
                    Console.Error.WriteLine(e.Message);
                }
            }
        }

        private void Parse(ReadOnlySpan<byte> head)
        {
            var line = head.IndexOf("\r\n"u8);
            var requestLine = head[..line];
            var space = requestLine.IndexOf((byte)' ');
            var target = requestLine[(space + 1)..requestLine.LastIndexOf((byte)' ')];
            var query = target.IndexOf((byte)'?');
            _requestFeature.Method = HttpMethods.GetCanonicalizedValue(Encoding.ASCII.GetString(requestLine[..space]));
            _requestFeature.Path = Encoding.ASCII.GetString(query < 0 ? target : target[..query]);
            _requestFeature.QueryString = query < 0 ? string.Empty : Encoding.ASCII.GetString(target[query..]);
            _requestFeature.Protocol = HttpProtocol.Http11;
            _requestFeature.Scheme = "http";
            var headers = new HeaderDictionary();
            head = head[(line + 2)..];
            while ((line = head.IndexOf("\r\n"u8)) > 0)
            {
                var colon = head[..line].IndexOf((byte)':');
                headers.Append(Encoding.ASCII.GetString(head[..colon]), Encoding.ASCII.GetString(head[(colon + 1)..line].Trim((byte)' ')));
                head = head[(line + 2)..];
            }
            _requestFeature.Headers = headers;
            _responseFeature.StatusCode = 200;
            _responseFeature.Headers = new HeaderDictionary();
            _body.Reset();
        }

        private int WriteResponse()
        {
            var body = _body.Written;
            var needed = 1024 + body.Length;
            foreach (var header in _responseFeature.Headers)
            {
                needed += header.Key.Length + header.Value.ToString().Length + 4;
            }
            if (_response.Length < needed)
            {
                _response = new byte[needed];
            }
            var at = 0;
            var span = _response.AsSpan();
            at += Encoding.ASCII.GetBytes("HTTP/1.1 ", span[at..]);
            _responseFeature.StatusCode.TryFormat(span[at..], out var digits);
            at += digits;
            at += Encoding.ASCII.GetBytes(" OK\r\n", span[at..]);
            foreach (var header in _responseFeature.Headers)
            {
                at += Encoding.ASCII.GetBytes(header.Key, span[at..]);
                span[at++] = (byte)':';
                span[at++] = (byte)' ';
                at += Encoding.ASCII.GetBytes(header.Value.ToString(), span[at..]);
                span[at++] = (byte)'\r';
                span[at++] = (byte)'\n';
            }
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
            body.CopyTo(span[at..]);
            return at + body.Length;
        }
    }

    /// <summary>The response body kept in memory until the handler returns, then sent with the head in one send.</summary>
    private sealed class BufferedBody : PipeWriter, IHttpResponseBodyFeature
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _written;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

        public Stream Stream => throw new NotSupportedException();

        public PipeWriter Writer => this;

        public void Reset() => _written = 0;

        public override void Advance(int bytes) => _written += bytes;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _buffer.AsSpan(_written);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(new FlushResult(false, false));

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CompleteAsync() => Task.CompletedTask;

        private void Grow(int sizeHint)
        {
            if (_buffer.Length - _written < Math.Max(sizeHint, 1))
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + sizeHint));
            }
        }
    }
}
