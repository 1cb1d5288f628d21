using System.Diagnostics;
using System.Globalization;
using Legate.Http;
using Legate.Router;
using Legate.Server;
using Legate.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// <c>envoy.filters.http.router</c>: the terminal HTTP filter. Answers redirects and direct responses,
/// resolves the route's cluster, picks a host and forwards through YARP's forwarder, translating
/// failures into Envoy's local replies, headers and stats.
/// </summary>
internal sealed class RouterFilter : IHttpFilter
{
    private static readonly TimeSpan s_noIdleTimeout = TimeSpan.FromDays(1);

    private readonly ServerContext _server;
    private readonly bool _suppressEnvoyHeaders;
    private readonly RouterTransformer _transformer;
    private readonly ForwarderConfigCache _configs = new();

    public RouterFilter(ServerContext server, bool suppressEnvoyHeaders)
    {
        _server = server;
        _suppressEnvoyHeaders = suppressEnvoyHeaders;
        _transformer = new RouterTransformer(suppressEnvoyHeaders);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FilterStatus> OnRequestAsync(HttpStream stream)
    {
        var hcmStats = stream.ConnectionManager.Stats;
        var route = stream.Route;
        if (route is null)
        {
            hcmStats.NoRoute.Inc();
            await stream.SendLocalReplyAsync(StatusCodes.Status404NotFound, string.Empty, ResponseFlags.NoRouteFound, "route_not_found");
            return FilterStatus.StopIteration;
        }
        switch (route.Kind)
        {
            case RouteActionKind.DirectResponse:
                hcmStats.RqDirectResponse.Inc();
                await SendDirectResponseAsync(stream, route);
                return FilterStatus.StopIteration;
            case RouteActionKind.Redirect:
                hcmStats.RqRedirect.Inc();
                SendRedirect(stream, route);
                return FilterStatus.StopIteration;
            case RouteActionKind.Route:
                break;
            default:
                hcmStats.NoRoute.Inc();
                await stream.SendLocalReplyAsync(StatusCodes.Status404NotFound, string.Empty, ResponseFlags.NoRouteFound, "route_not_found");
                return FilterStatus.StopIteration;
        }

        if (stream.UpgradeType is { } upgrade && !UpgradeAllowed(stream, route, upgrade))
        {
            hcmStats.DownstreamRqWsOnNonWsRoute.Inc();
            await stream.SendLocalReplyAsync(StatusCodes.Status403Forbidden, string.Empty, ResponseFlags.None, "upgrade_failed");
            return FilterStatus.StopIteration;
        }

        var clusterName = route.ClusterFor(stream.RouteRequest, out var weighted);
        var cluster = clusterName is null ? null : _server.ClusterManager.Get(clusterName);
        if (cluster is null)
        {
            hcmStats.NoCluster.Inc();
            await stream.SendLocalReplyAsync(route.ClusterNotFoundStatusCode, string.Empty, ResponseFlags.NoClusterFound, "cluster_not_found");
            return FilterStatus.StopIteration;
        }
        stream.Info.UpstreamClusterName = cluster.Name;
        hcmStats.RqTotal.Inc();

        var host = cluster.ChooseHost(new LoadBalancerContext());
        if (host is null)
        {
            await stream.SendLocalReplyAsync(StatusCodes.Status503ServiceUnavailable, "no healthy upstream", ResponseFlags.NoHealthyUpstream, "no_healthy_upstream");
            return FilterStatus.StopIteration;
        }

        var timeout = PrepareRequest(stream, route, weighted, host);
        await ForwardAsync(stream, route, cluster, host, timeout);
        return FilterStatus.StopIteration;
    }

    private TimeSpan? PrepareRequest(HttpStream stream, RouteEntry route, WeightedClusterEntry? weighted, Host host)
    {
        var headers = stream.Context.Request.Headers;
        var timeout = route.Timeout;
        if (headers.TryGetValue("x-envoy-upstream-rq-timeout-ms", out var overrideMs))
        {
            if (long.TryParse(overrideMs.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                timeout = ms == 0 ? null : TimeSpan.FromMilliseconds(ms);
            }
            headers.Remove("x-envoy-upstream-rq-timeout-ms");
        }
        if (!_suppressEnvoyHeaders && timeout is { } t)
        {
            headers["x-envoy-expected-rq-timeout-ms"] = MillisecondsText.Of((long)t.TotalMilliseconds);
        }

        var rewritten = route.RewritePath(stream.Path);
        if (rewritten is not null)
        {
            if (!_suppressEnvoyHeaders)
            {
                headers["x-envoy-original-path"] = stream.Path;
            }
            stream.Path = rewritten;
        }

        var rewrite = route.HostRewrite;
        var authority = rewrite.Kind switch
        {
            HostRewriteKind.AutoHostRewrite => host.Hostname.Length > 0 ? host.Hostname : null,
            HostRewriteKind.None => weighted?.HostRewriteLiteral,
            _ => rewrite.NewAuthority(stream.RouteRequest) ?? weighted?.HostRewriteLiteral,
        };
        if (authority is not null)
        {
            if (rewrite.AppendXForwardedHost)
            {
                var original = stream.RequestLine.Authority;
                var existing = headers["x-forwarded-host"].ToString();
                headers["x-forwarded-host"] = existing.Length == 0 ? original : existing + "," + original;
            }
            stream.UpstreamAuthority = authority;
        }
        var format = stream.FormatContext;
        weighted?.RequestHeaderMutations.Apply(headers, format);
        if (!route.RequestHeaderMutations.IsEmpty)
        {
            route.RequestHeaderMutations.Apply(headers, format);
        }
        return timeout;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ForwardAsync(HttpStream stream, RouteEntry route, UpstreamCluster cluster, Host host, TimeSpan? timeout)
    {
        var context = stream.Context;
        var info = stream.Info;
        info.UpstreamHost = host.Address;
        info.UpstreamRequestAttemptCount = 1;
        var stats = cluster.Stats;
        stats.UpstreamRqTotal.Inc();
        stats.UpstreamRqActive.Inc();
        host.Stats.OnRequestStart();

        // One deadline covers the route timeout and the connection manager's max_stream_duration,
        // whichever comes first; which one fired decides the local reply.
        var maxDuration = stream.ConnectionManager.Settings.MaxStreamDuration;
        var durationFirst = maxDuration is { } md && (timeout is null || md < timeout.Value);
        var deadline = durationFirst ? maxDuration : timeout;
        var deadlineCts = deadline is { } d ? DeadlinePool.Rent(d) : null;
        var idle = route.IdleTimeout ?? stream.ConnectionManager.Settings.StreamIdleTimeout ?? s_noIdleTimeout;
        var config = _configs.Get(cluster, HttpProtocol_IsHttp2(context.Request.Protocol), idle);
        stream.UpstreamRequestStartTimestamp = Stopwatch.GetTimestamp();
        ForwarderError error;
        try
        {
            error = await _server.Forwarder.SendAsync(context, host.DestinationPrefix, cluster.Invoker, config, _transformer, deadlineCts?.Token ?? CancellationToken.None);
        }
        finally
        {
            stats.UpstreamRqActive.Dec();
        }
        var elapsedMs = Stopwatch.GetElapsedTime(stream.UpstreamRequestStartTimestamp).TotalMilliseconds;
        var deadlineFired = deadlineCts is { IsCancellationRequested: true } && !context.RequestAborted.IsCancellationRequested;
        if (deadlineCts is not null)
        {
            DeadlinePool.Return(deadlineCts);
        }

        if (error == ForwarderError.None)
        {
            var status = info.ResponseCode == 0 ? context.Response.StatusCode : info.ResponseCode;
            RecordResponse(stats, status, elapsedMs);
            host.Stats.OnRequestEnd(success: status < 500);
            return;
        }
        await OnForwardFailedAsync(stream, cluster, host, error, deadlineFired, durationFirst, elapsedMs);
    }

    /// <summary>Turns a failed forward into Envoy's local reply (or a reset once the response has started), flags and stats.</summary>
    private static async Task OnForwardFailedAsync(HttpStream stream, UpstreamCluster cluster, Host host, ForwarderError error, bool deadlineFired, bool durationFirst, double elapsedMs)
    {
        var context = stream.Context;
        var info = stream.Info;
        var stats = cluster.Stats;
        var hcmStats = stream.ConnectionManager.Stats;
        host.Stats.OnRequestEnd(success: false);
        if (deadlineFired && durationFirst)
        {
            hcmStats.DownstreamRqMaxDurationReached.Inc();
            await ReplyOrResetAsync(stream, StatusCodes.Status408RequestTimeout, "downstream duration timeout", ResponseFlags.DurationTimeout, "max_duration_timeout");
            return;
        }
        if (deadlineFired)
        {
            stats.UpstreamRqTimeout.Inc();
            host.Stats.OnRequestTimeout();
            if (!context.Response.HasStarted)
            {
                RecordResponse(stats, StatusCodes.Status504GatewayTimeout, elapsedMs);
            }
            await ReplyOrResetAsync(stream, StatusCodes.Status504GatewayTimeout, "upstream request timeout", ResponseFlags.UpstreamRequestTimeout, "upstream_response_timeout");
            return;
        }
        if (context.RequestAborted.IsCancellationRequested || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled)
        {
            info.AddResponseFlag(ResponseFlags.DownstreamConnectionTermination);
            stats.Scope.Counter("upstream_rq_cancelled").Inc();
            return;
        }
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error is ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout && exception is OperationCanceledException)
        {
            // YARP's activity timer: Envoy's stream idle timeout (route idle_timeout or HCM stream_idle_timeout).
            hcmStats.DownstreamRqIdleTimeout.Inc();
            await ReplyOrResetAsync(stream, StatusCodes.Status408RequestTimeout, "stream timeout", ResponseFlags.StreamIdleTimeout, "stream_idle_timeout");
            return;
        }
        if (context.Response.HasStarted)
        {
            // The upstream reset mid-response: Envoy resets the downstream stream too.
            hcmStats.RqResetAfterDownstreamResponseStarted.Inc();
            info.AddResponseFlag(ResponseFlags.UpstreamRemoteReset);
            stats.Scope.Counter("upstream_rq_rx_reset").Inc();
            context.Abort();
            return;
        }
        var reset = UpstreamResetReason.Classify(exception);
        info.UpstreamTransportFailureReason = reset.TransportFailure;
        RecordResponse(stats, reset.Status, elapsedMs);
        await stream.SendLocalReplyAsync(reset.Status, reset.Body, reset.Flag, reset.Details);
    }

    /// <summary>A local reply before the response started; afterwards Envoy can only reset the stream.</summary>
    private static Task ReplyOrResetAsync(HttpStream stream, int status, string body, ResponseFlags flag, string details)
    {
        if (!stream.Context.Response.HasStarted)
        {
            return stream.SendLocalReplyAsync(status, body, flag, details);
        }
        stream.ConnectionManager.Stats.RqResetAfterDownstreamResponseStarted.Inc();
        stream.Info.AddResponseFlag(flag);
        stream.Context.Abort();
        return Task.CompletedTask;
    }

    private static bool HttpProtocol_IsHttp2(string protocol) => protocol == Microsoft.AspNetCore.Http.HttpProtocol.Http2;

    private static void RecordResponse(ClusterStats stats, int status, double elapsedMs)
    {
        stats.RecordResponse(status);
        stats.UpstreamRqTime.Record(elapsedMs);
    }

    private static bool UpgradeAllowed(HttpStream stream, RouteEntry route, string upgrade)
    {
        var byRoute = route.UpgradeEnabled(upgrade);
        if (byRoute is { } r)
        {
            return r && stream.ConnectionManager.Settings.Upgrades.ContainsKey(upgrade);
        }
        return stream.ConnectionManager.Settings.Upgrades.TryGetValue(upgrade, out var enabled) && enabled;
    }

    private static async Task SendDirectResponseAsync(HttpStream stream, RouteEntry route)
    {
        var response = stream.Context.Response;
        var status = route.DirectResponseStatus;
        response.StatusCode = status;
        stream.Info.ResponseCode = status;
        stream.Info.ResponseCodeDetails = "direct_response";
        var body = route.DirectResponseBody;
        if (body.Length > 0)
        {
            response.ContentType = "text/plain";
            response.ContentLength = body.Length;
        }
        if (route.DirectResponseAddsLocation)
        {
            response.Headers[HeaderNames.Location] = route.BuildRedirectLocation(stream.RouteRequest);
        }
        stream.ConnectionManager.PrepareResponseHeaders(stream);
        if (body.Length > 0 && !HttpMethods.IsHead(stream.Context.Request.Method))
        {
            stream.Info.BytesSent += body.Length;
            await response.Body.WriteAsync(body);
        }
    }

    private static void SendRedirect(HttpStream stream, RouteEntry route)
    {
        var response = stream.Context.Response;
        response.StatusCode = route.RedirectResponseCode;
        stream.Info.ResponseCode = route.RedirectResponseCode;
        stream.Info.ResponseCodeDetails = "direct_response";
        response.Headers[HeaderNames.Location] = route.BuildRedirectLocation(stream.RouteRequest);
        stream.ConnectionManager.PrepareResponseHeaders(stream);
    }

    /// <summary>One forwarder config per (cluster, downstream protocol, idle timeout), built once.</summary>
    private sealed class ForwarderConfigCache
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(UpstreamCluster, bool, TimeSpan), ForwarderRequestConfig> _configs = new();

        public ForwarderRequestConfig Get(UpstreamCluster cluster, bool downstreamHttp2, TimeSpan idle) =>
            _configs.GetOrAdd((cluster, downstreamHttp2, idle), static key =>
            {
                var (c, h2, activity) = key;
                var (version, policy) = c.VersionFor(h2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11);
                return new ForwarderRequestConfig { ActivityTimeout = activity, Version = version, VersionPolicy = policy };
            });
    }
}
