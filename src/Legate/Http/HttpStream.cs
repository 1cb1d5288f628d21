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
    internal HttpStream(HttpContext context, HttpConnectionManager connectionManager, StreamInfo info, RequestLine requestLine)
    {
        Context = context;
        ConnectionManager = connectionManager;
        Info = info;
        RequestLine = requestLine;
    }

    public HttpContext Context { get; }

    public HttpConnectionManager ConnectionManager { get; }

    public StreamInfo Info { get; }

    /// <summary>Method, path, authority and scheme as received (before rewrites).</summary>
    public RequestLine RequestLine { get; }

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

    /// <summary>When the request went upstream (Stopwatch ticks), for x-envoy-upstream-service-time.</summary>
    public long UpstreamRequestStartTimestamp { get; set; }

    public FormatContext FormatContext =>
        new(Info, Context.Request.Headers, Context.Response.Headers) { Request = RequestLine };

    /// <summary>Sends one of Envoy's local replies (no upstream involved).</summary>
    public Task SendLocalReplyAsync(int status, string body, ResponseFlags flag, string details) =>
        ConnectionManager.LocalReplies.SendAsync(this, status, body, flag, details);
}
