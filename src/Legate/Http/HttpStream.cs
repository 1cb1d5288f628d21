using Legate.Formatting;
using Legate.Router;
using Microsoft.AspNetCore.Http;

namespace Legate.Http;

/// <summary>
/// One downstream request travelling through a connection manager: its context, what routing chose,
/// and the <see cref="StreamInfo"/> the access log reads at the end.
/// </summary>
public sealed class HttpStream
{
    private const int MaxPooled = 1024;
    private const int MaxPooledHeadBuffer = 16 * 1024;
    private static readonly System.Collections.Concurrent.ConcurrentQueue<HttpStream> s_pool = new();

    private HttpContext? _context;
    private HttpConnectionManager? _connectionManager;
    private RequestLine? _requestLine;
    private string _method = string.Empty;
    private string _originalPath = string.Empty;
    private string _authority = string.Empty;
    private string _scheme = string.Empty;
    private byte[]? _upstreamHead;
    private RequestTimeout? _requestTimeout;

    private HttpStream()
    {
    }

    public HttpContext Context => _context!;

    public HttpConnectionManager ConnectionManager => _connectionManager!;

    public StreamInfo Info { get; } = new();

    /// <summary>Method, path, authority and scheme as received (before rewrites).</summary>
    /// <remarks>Built on first use: only access logs and a few filters read it.</remarks>
    public RequestLine RequestLine => _requestLine ??= new RequestLine(_method, _originalPath, _authority, _scheme);

    /// <summary>The authority as received (before host rewrites).</summary>
    public string OriginalAuthority => _authority;

    /// <summary>
    /// Where the upstream HTTP/1.1 request head is written; it stays with the pooled stream, so a request
    /// rents no buffer for it.
    /// </summary>
    internal byte[] UpstreamHeadBuffer
    {
        get => _upstreamHead ??= new byte[Legate.Upstream.Http.Http1.Http1RequestHead.InitialSize];
        set => _upstreamHead = value;
    }

    /// <summary>The connection manager's request_timeout when it was armed for this request; null for most requests.</summary>
    internal RequestTimeout? RequestTimeout { get; private set; }

    /// <summary>Starts the request_timeout timer; its state stays with the pooled stream for the next request that needs one.</summary>
    internal void ArmRequestTimeout(TimeSpan timeout)
    {
        var requestTimeout = _requestTimeout ??= new RequestTimeout();
        requestTimeout.Arm(Context, ConnectionManager.Stats, timeout);
        RequestTimeout = requestTimeout;
    }

    /// <summary>Matched route, or null when no route matched (router answers 404).</summary>
    public RouteEntry? Route { get; internal set; }

    public VirtualHostEntry? VirtualHost { get; internal set; }

    public RouteRequest RouteRequest { get; internal set; }

    /// <summary>The request path to send upstream (raw, with query); rewrites change it.</summary>
    public string Path { get; set; } = "/";

    /// <summary>content-type starts with application/grpc.</summary>
    public bool IsGrpc { get; internal set; }

    /// <summary>Upgrade type (e.g. "websocket") when the request asks for one.</summary>
    public string? UpgradeType { get; internal set; }

    /// <summary>True for requests whose x-forwarded-for and peer make them internal (x-envoy-internal).</summary>
    public bool IsInternal { get; internal set; }

    /// <summary>The :authority to send upstream when a host rewrite applies; null keeps the downstream one.</summary>
    public string? UpstreamAuthority { get; set; }

    /// <summary>
    /// The router took the request to forward it: its body, if any, is the router's to read from then on. Until then a
    /// response to a request that goes on after its headers starts early (<see cref="EarlyResponse"/>).
    /// </summary>
    internal bool RequestTaken { get; set; }

    /// <summary>The response was marked as starting before the request ended (<see cref="EarlyResponse"/>).</summary>
    internal bool RespondedEarly { get; set; }

    /// <summary>When the request went upstream (Stopwatch ticks), for x-envoy-upstream-service-time.</summary>
    public long UpstreamRequestStartTimestamp { get; set; }

    public FormatContext FormatContext =>
        new(Info, Context.Request.Headers, Context.Response.Headers) { Request = RequestLine };

    /// <summary>Sends one of Envoy's local replies (no upstream involved).</summary>
    public Task SendLocalReplyAsync(int status, string body, ResponseFlags flag, string details, bool overloaded = false, bool requestComplete = true) =>
        ConnectionManager.LocalReplies.SendAsync(this, status, body, flag, details, overloaded, requestComplete);

    /// <summary>Records the request's pseudo headers as received; <see cref="RequestLine"/> is built from them when read.</summary>
    internal void SetRequestLine(string method, string path, string authority, string scheme)
    {
        _method = method;
        _originalPath = path;
        _authority = authority;
        _scheme = scheme;
        _requestLine = null;
    }

    /// <summary>
    /// A stream for a new request, reused from a finished one when possible: a request then allocates
    /// no stream and no <see cref="StreamInfo"/>.
    /// </summary>
    internal static HttpStream Rent(HttpContext context, HttpConnectionManager connectionManager)
    {
        var stream = s_pool.TryDequeue(out var pooled) ? pooled : new HttpStream();
        stream._context = context;
        stream._connectionManager = connectionManager;
        return stream;
    }

    /// <summary>Hands the stream back once nothing (access log, transformer) reads it any more.</summary>
    internal void Return()
    {
        if (RequestTimeout is { } requestTimeout)
        {
            requestTimeout.Release();
            RequestTimeout = null;
        }
        _context = null;
        _connectionManager = null;
        _requestLine = null;
        _method = _originalPath = _authority = _scheme = string.Empty;
        if (_upstreamHead is { Length: > MaxPooledHeadBuffer })
        {
            // An unusually large head: not worth keeping with a pooled stream.
            _upstreamHead = null;
        }
        Route = null;
        VirtualHost = null;
        RouteRequest = default;
        Path = "/";
        IsGrpc = false;
        UpgradeType = null;
        IsInternal = false;
        UpstreamAuthority = null;
        UpstreamRequestStartTimestamp = 0;
        RequestTaken = false;
        RespondedEarly = false;
        Info.Reset();
        if (s_pool.Count < MaxPooled)
        {
            s_pool.Enqueue(this);
        }
    }
}
