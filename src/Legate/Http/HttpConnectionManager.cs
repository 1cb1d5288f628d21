using System.Diagnostics;
using Legate.AccessLog;
using Legate.Formatting;
using Legate.Router;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Legate.Http;

/// <summary>
/// One configured <c>envoy.filters.network.http_connection_manager</c>: takes each downstream request,
/// applies Envoy's request header rules, routes it and runs it through the HTTP filter chain, then
/// records stats and access logs. Immutable; a config change builds a new one.
/// </summary>
public sealed class HttpConnectionManager
{
    private readonly IHttpFilter[] _filters;
    private readonly IAccessLogger[] _accessLoggers;
    private readonly RequestHeaderPolicy _requestHeaders;
    private readonly IRouteConfigProvider _routes;
    private readonly ILogger _logger;
    private readonly VirtualClusterStats.Cache _virtualClusters;

    public HttpConnectionManager(
        string statPrefix,
        HttpConnectionManagerSettings settings,
        ConnectionManagerStats stats,
        RequestHeaderPolicy requestHeaders,
        IRouteConfigProvider routes,
        IHttpFilter[] filters,
        IAccessLogger[] accessLoggers,
        ILogger logger)
    {
        StatPrefix = statPrefix;
        Settings = settings;
        Stats = stats;
        _requestHeaders = requestHeaders;
        _routes = routes;
        _filters = filters;
        _accessLoggers = accessLoggers;
        _logger = logger;
        _virtualClusters = new VirtualClusterStats.Cache(stats.Store);
    }

    public string StatPrefix { get; }

    public HttpConnectionManagerSettings Settings { get; }

    public ConnectionManagerStats Stats { get; }

    public LocalReplySender LocalReplies { get; } = new();

    public IRouteConfigProvider Routes => _routes;

    public async Task HandleAsync(HttpContext context, DownstreamConnection connection)
    {
        var stream = HttpStream.Rent(context, this);
        // Before anything reads the context: setting a feature changes the collection's revision, and
        // DefaultHttpContext then drops and fetches again every feature it has cached so far.
        context.Features.Set(stream);
        var request = context.Request;
        var isHttp2 = HttpProtocol.IsHttp2(request.Protocol);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var path = string.IsNullOrEmpty(rawTarget) ? request.Path.ToUriComponent() + request.QueryString.ToUriComponent() : rawTarget;
        var authority = request.Headers.Host.ToString();
        stream.SetRequestLine(request.Method, path, authority, request.Scheme);
        stream.Path = path;
        var info = stream.Info;
        info.StartTimestamp = Stopwatch.GetTimestamp();
        info.ConnectionId = connection.Id;
        info.DownstreamDirectRemoteAddress = connection.RemoteEndPoint;
        info.DownstreamRemoteAddress = connection.RemoteEndPoint;
        info.DownstreamLocalAddress = connection.LocalEndPoint;
        info.Protocol = isHttp2 ? "HTTP/2" : request.Protocol;

        Stats.DownstreamRqTotal.Inc();
        (isHttp2 ? Stats.DownstreamRqHttp2Total : Stats.DownstreamRqHttp1Total).Inc();
        Stats.DownstreamRqActive.Inc();
        try
        {
            await ProcessAsync(stream, connection);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && stream.RequestTimeout is { HasFired: true }
            && !context.RequestAborted.IsCancellationRequested)
        {
            // A filter reading the body itself was stopped by request_timeout: the downstream is still there and
            // gets Envoy's 408.
            await RequestTimeout.SendReplyAsync(stream);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The downstream went away mid-stream (Envoy: DC / downstream reset).
            info.AddResponseFlag(ResponseFlags.DownstreamConnectionTermination);
            Stats.DownstreamRqRxReset.Inc();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "unhandled error while processing a request on {StatPrefix}", StatPrefix);
            if (!context.Response.HasStarted)
            {
                await stream.SendLocalReplyAsync(StatusCodes.Status500InternalServerError, string.Empty, ResponseFlags.None, "internal_error");
            }
            else
            {
                context.Abort();
            }
        }
        finally
        {
            Complete(stream);
            stream.Return();
        }
    }

    // Not async itself: the request's task is the last filter's (the router's), so a proxied request has no
    // suspended frame of its own here.
    private ValueTask<FilterStatus> ProcessAsync(HttpStream stream, DownstreamConnection connection)
    {
        var context = stream.Context;
        var request = context.Request;
        if (Settings.RequestTimeout is { } requestTimeout && RequestTimeout.AppliesTo(context))
        {
            stream.ArmRequestTimeout(requestTimeout);
        }
        if (HttpProtocol.IsHttp10(request.Protocol) && !Settings.AcceptHttp10)
        {
            return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(StatusCodes.Status426UpgradeRequired, string.Empty, ResponseFlags.None, "low_version"));
        }

        stream.IsGrpc = request.ContentType is { } ct && ct.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
        stream.UpgradeType = UpgradeTypeOf(context);
        var forwardedProto = _requestHeaders.Apply(stream, connection.IsTls);

        if (Settings.NormalizePath || Settings.MergeSlashes)
        {
            var normalized = PathNormalizer.Normalize(stream.Path, Settings.NormalizePath, Settings.MergeSlashes);
            if (normalized is null)
            {
                Stats.DownstreamRqFailedPathNormalization.Inc();
                return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(StatusCodes.Status400BadRequest, "Bad Request", ResponseFlags.DownstreamProtocolError, "path_normalization_failed"));
            }
            stream.Path = normalized;
        }

        var routeRequest = new RouteRequest
        {
            Authority = stream.OriginalAuthority,
            Path = stream.Path,
            Method = request.Method,
            Scheme = forwardedProto,
            Headers = request.Headers,
            RandomValue = (ulong)Random.Shared.NextInt64(),
        };
        stream.RouteRequest = routeRequest;
        var table = _routes.Current;
        if (table is not null)
        {
            stream.Route = table.Match(routeRequest, out var vhost);
            stream.VirtualHost = vhost;
            stream.Info.RouteName = stream.Route?.Name;
        }

        return RunFilters(stream, 0);
    }

    /// <summary>Runs the decoding filters from <paramref name="first"/> on, without a frame while they complete at once.</summary>
    private ValueTask<FilterStatus> RunFilters(HttpStream stream, int first)
    {
        var filters = _filters;
        for (var i = first; i < filters.Length; i++)
        {
            var pending = filters[i].OnRequestAsync(stream);
            if (i == filters.Length - 1)
            {
                return pending;
            }
            if (!pending.IsCompletedSuccessfully)
            {
                return ContinueFiltersAsync(stream, i + 1, pending);
            }
            // The result is read once; what is returned is a fresh task.
            if (pending.Result == FilterStatus.StopIteration)
            {
                return FilterStatusTasks.Stop;
            }
        }
        return new ValueTask<FilterStatus>(FilterStatus.Continue);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FilterStatus> ContinueFiltersAsync(HttpStream stream, int next, ValueTask<FilterStatus> pending) =>
        await pending == FilterStatus.StopIteration ? FilterStatus.StopIteration : await RunFilters(stream, next);

    /// <summary>
    /// Response headers every reply gets, forwarded or local: the server header, route response header
    /// mutations, x-request-id when configured, and the filters' encode hooks (in reverse order).
    /// </summary>
    public void PrepareResponseHeaders(HttpStream stream)
    {
        // The response starts: Envoy's request_timeout no longer applies.
        stream.RequestTimeout?.Disarm();
        EarlyResponse.MarkIfRequestUntaken(stream);
        var headers = stream.Context.Response.Headers;
        switch (Settings.ServerHeader)
        {
            case ServerHeaderMode.Overwrite:
                headers[HeaderNames.Server] = Settings.ServerName;
                break;
            case ServerHeaderMode.AppendIfAbsent when !headers.ContainsKey(HeaderNames.Server):
                headers[HeaderNames.Server] = Settings.ServerName;
                break;
        }
        if (_requestHeaders.AlwaysSetRequestIdInResponse && stream.Context.Request.Headers.TryGetValue("x-request-id", out var id))
        {
            headers["x-request-id"] = id;
        }
        if (stream.Route is { } route && !route.ResponseHeaderMutations.IsEmpty)
        {
            route.ResponseHeaderMutations.Apply(headers, stream.FormatContext);
        }
        for (var i = _filters.Length - 1; i >= 0; i--)
        {
            _filters[i].OnResponseHeaders(stream);
        }
    }

    private void Complete(HttpStream stream)
    {
        var info = stream.Info;
        var response = stream.Context.Response;
        info.CompleteTimestamp = Stopwatch.GetTimestamp();
        if (info.ResponseCode == 0 && response.HasStarted)
        {
            info.ResponseCode = response.StatusCode;
        }
        Stats.DownstreamRqActive.Dec();
        Stats.DownstreamRqCompleted.Inc();
        Stats.ListenerDownstreamRqCompleted.Inc();
        if (info.ResponseCode != 0)
        {
            Stats.RecordResponseClass(info.ResponseCode);
        }
        Stats.DownstreamRqTime.Record(Stopwatch.GetElapsedTime(info.StartTimestamp, info.CompleteTimestamp).TotalMilliseconds);
        if (stream.VirtualHost is { VirtualClusters.Count: > 0 } vhost && info.UpstreamHost is not null
            && vhost.FindVirtualCluster(stream.RouteRequest) is { } virtualCluster)
        {
            _virtualClusters.Get(vhost, virtualCluster).Record(info, stream.UpstreamRequestStartTimestamp);
        }
        if (_accessLoggers.Length == 0)
        {
            return;
        }
        var formatContext = new FormatContext(info, stream.Context.Request.Headers, response.Headers, TrailersOf(stream.Context))
        {
            Request = stream.RequestLine,
        };
        foreach (var logger in _accessLoggers)
        {
            try
            {
                logger.Log(formatContext);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "access log failed");
            }
        }
    }

    private static IHeaderDictionary? TrailersOf(HttpContext context) =>
        context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;

    private static string? UpgradeTypeOf(HttpContext context)
    {
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (connect is { IsExtendedConnect: true })
        {
            return connect.Protocol?.ToLowerInvariant();
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is { IsUpgradableRequest: true })
        {
            return context.Request.Headers.Upgrade.ToString().ToLowerInvariant();
        }
        return null;
    }
}
