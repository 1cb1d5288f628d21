using System.Diagnostics;
using System.Globalization;
using Legate.Http;
using Legate.Router;
using Legate.Server;
using Legate.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

    // Not async itself: the common path returns ForwardAsync's task, so a proxied request suspends one frame
    // fewer; local replies go through FilterStatusTasks.StopAfterAsync.
    public ValueTask<FilterStatus> OnRequestAsync(HttpStream stream)
    {
        var hcmStats = stream.ConnectionManager.Stats;
        var route = stream.Route;
        if (route is null)
        {
            hcmStats.NoRoute.Inc();
            return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(StatusCodes.Status404NotFound, string.Empty, ResponseFlags.NoRouteFound, "route_not_found"));
        }
        switch (route.Kind)
        {
            case RouteActionKind.DirectResponse:
                hcmStats.RqDirectResponse.Inc();
                return FilterStatusTasks.StopAfterAsync(DirectResponses.SendDirectResponseAsync(stream, route));
            case RouteActionKind.Redirect:
                hcmStats.RqRedirect.Inc();
                DirectResponses.SendRedirect(stream, route);
                return FilterStatusTasks.Stop;
            case RouteActionKind.Route:
                break;
            default:
                hcmStats.NoRoute.Inc();
                return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(StatusCodes.Status404NotFound, string.Empty, ResponseFlags.NoRouteFound, "route_not_found"));
        }

        if (stream.UpgradeType is { } upgrade && !UpgradeAllowed(stream, route, upgrade))
        {
            hcmStats.DownstreamRqWsOnNonWsRoute.Inc();
            return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(StatusCodes.Status403Forbidden, string.Empty, ResponseFlags.None, "upgrade_failed"));
        }

        var clusterName = route.ClusterFor(stream.RouteRequest, out var weighted);
        var cluster = clusterName is null ? null : _server.ClusterManager.Get(clusterName);
        if (cluster is null)
        {
            hcmStats.NoCluster.Inc();
            return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(route.ClusterNotFoundStatusCode, string.Empty, ResponseFlags.NoClusterFound, "cluster_not_found"));
        }
        stream.Info.UpstreamClusterName = cluster.Name;
        hcmStats.RqTotal.Inc();

        var host = cluster.ChooseHost(new LoadBalancerContext());
        if (host is null)
        {
            return FilterStatusTasks.StopAfterAsync(stream.SendLocalReplyAsync(StatusCodes.Status503ServiceUnavailable, "no healthy upstream", ResponseFlags.NoHealthyUpstream, "no_healthy_upstream"));
        }

        var timeout = PrepareRequest(stream, route, weighted, host);
        var retry = RetryState.Create(stream, route, cluster, timeout);
        stream.RequestTaken = true;
        return retry is null ? ForwardAsync(stream, route, cluster, host, timeout, null) : ForwardWithRetriesAsync(stream, route, cluster, host, timeout, retry);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FilterStatus> ForwardWithRetriesAsync(HttpStream stream, RouteEntry route, UpstreamCluster cluster, Host host, TimeSpan? timeout, RetryState retry)
    {
        stream.Context.Features.Set(retry);
        try
        {
            return await ForwardAsync(stream, route, cluster, host, timeout, retry);
        }
        finally
        {
            stream.Context.Features.Set<RetryState>(null);
            retry.Finish();
        }
    }

    public void OnResponseHeaders(HttpStream stream)
    {
        if (stream.VirtualHost is { IncludeAttemptCountInResponse: true } && stream.Info.UpstreamRequestAttemptCount > 0)
        {
            stream.Context.Response.Headers["x-envoy-attempt-count"] = MillisecondsText.Of(stream.Info.UpstreamRequestAttemptCount);
        }
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
                var original = stream.OriginalAuthority;
                var existing = headers["x-forwarded-host"].ToString();
                headers["x-forwarded-host"] = existing.Length == 0 ? original : existing + "," + original;
            }
            stream.UpstreamAuthority = authority;
        }
        // The format context (and the request line in it) only when a mutation can read it.
        if (weighted is { RequestHeaderMutations.IsEmpty: false })
        {
            weighted.RequestHeaderMutations.Apply(headers, stream.FormatContext);
        }
        if (!route.RequestHeaderMutations.IsEmpty)
        {
            route.RequestHeaderMutations.Apply(headers, stream.FormatContext);
        }
        return timeout;
    }

    /// <summary>
    /// Sends the request upstream, retrying per the request's <see cref="RetryState"/> while nothing has
    /// reached the downstream: each attempt gets a host, the per-try timeout and a rewound body; the route
    /// timeout (or max_stream_duration) covers all attempts and the back-off between them.
    /// </summary>
    /// <returns>Always <see cref="FilterStatus.StopIteration"/>: the router ends the decoding filter chain.</returns>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FilterStatus> ForwardAsync(HttpStream stream, RouteEntry route, UpstreamCluster cluster, Host host, TimeSpan? timeout, RetryState? retry)
    {
        var context = stream.Context;
        var info = stream.Info;
        var stats = cluster.Stats;

        // One deadline covers the route timeout and the connection manager's max_stream_duration,
        // whichever comes first; which one fired decides the local reply.
        var maxDuration = stream.ConnectionManager.Settings.MaxStreamDuration;
        var durationFirst = maxDuration is { } md && (timeout is null || md < timeout.Value);
        var deadline = durationFirst ? maxDuration : timeout;
        // While the downstream may still be sending the body, its request_timeout cancels the attempt through the
        // same source (one that never fires by itself when no deadline applies).
        var requestTimeout = stream.RequestTimeout;
        // The route timeout runs from the end of the downstream request, as in Envoy; max_stream_duration from its
        // start (with both set, both keep running from the start).
        var deferred = maxDuration is null && deadline is not null && RouteTimeoutBody.BodyToCome(stream);
        var deadlineCts = deadline is { } d ? DeadlinePool.Rent(deferred ? Timeout.InfiniteTimeSpan : d)
            : requestTimeout is null ? null : DeadlinePool.Rent(Timeout.InfiniteTimeSpan);
        var routeTimeoutBody = deferred ? RouteTimeoutBody.Wrap(context.Request, deadlineCts!, deadline!.Value) : null;
        requestTimeout?.Attach(deadlineCts!);
        var forwardStart = Stopwatch.GetTimestamp();
        var idle = route.IdleTimeout ?? stream.ConnectionManager.Settings.StreamIdleTimeout ?? s_noIdleTimeout;
        var http1 = Http1UpstreamRequest.CanForward(stream, cluster);
        var config = http1 ? null : _configs.Get(cluster, HttpProtocol_IsHttp2(context.Request.Protocol), idle);
        var resources = cluster.Resources(route.Priority);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (!resources.Requests.TryAcquire())
                {
                    await UpstreamFailureReplies.OnOverflowAsync(stream, cluster, _suppressEnvoyHeaders, retried: attempt > 1);
                    return FilterStatus.StopIteration;
                }
                info.UpstreamHost = host.Address;
                info.UpstreamRequestAttemptCount = attempt;
                retry?.OnHostAttempted(host);
                stats.UpstreamRqTotal.Inc();
                stats.UpstreamRqActive.Inc();
                host.Stats.OnRequestStart();

                CancellationTokenSource? perTryCts = null;
                var perTryTimer = PerTryTimer.None;
                if (retry?.PerTryTimeout is { } perTry)
                {
                    perTryCts = deadlineCts is null ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(deadlineCts.Token);
                    perTryTimer = new PerTryTimer(perTryCts, perTry);
                    if (config is not null)
                    {
                        // SocketsHttpHandler tells nothing of its pool: through it the try runs from the attempt's start.
                        perTryTimer.Start();
                    }
                    if (!_suppressEnvoyHeaders)
                    {
                        var expected = deadline is { } total && total - Stopwatch.GetElapsedTime(forwardStart) < perTry ? total - Stopwatch.GetElapsedTime(forwardStart) : perTry;
                        context.Request.Headers["x-envoy-expected-rq-timeout-ms"] = MillisecondsText.Of(Math.Max(0, (long)expected.TotalMilliseconds));
                    }
                }
                stream.UpstreamRequestStartTimestamp = attempt == 1 ? forwardStart : Stopwatch.GetTimestamp();
                ForwarderError error;
                try
                {
                    var token = perTryCts?.Token ?? deadlineCts?.Token ?? CancellationToken.None;
                    error = config is null
                        ? await Http1UpstreamRequest.SendAsync(stream, cluster, host, resources, idle, _suppressEnvoyHeaders, retry, perTryTimer, token)
                        : await _server.Forwarder.SendAsync(context, host.DestinationPrefix, cluster.Invoker, config, _transformer, token);
                }
                finally
                {
                    stats.UpstreamRqActive.Dec();
                    resources.Requests.Release();
                }
                var elapsedMs = Stopwatch.GetElapsedTime(stream.UpstreamRequestStartTimestamp).TotalMilliseconds;
                var clientGone = context.RequestAborted.IsCancellationRequested;
                var deadlineFired = deadlineCts is { IsCancellationRequested: true } && !clientGone;
                var perTryFired = perTryCts is { IsCancellationRequested: true } && !deadlineFired && !clientGone;
                perTryCts?.Dispose();

                if (error != ForwarderError.None && !clientGone && requestTimeout is { HasFired: true })
                {
                    // The downstream was too slow sending its request, not the upstream answering it: the connection
                    // manager's 408, never an upstream timeout or reset, and no retry.
                    host.Stats.OnRequestEnd(success: false);
                    await RequestTimeout.SendReplyAsync(stream);
                    return FilterStatus.StopIteration;
                }

                if (error == ForwarderError.None && retry is { DiscardedResponseStatus: > 0 and var discarded })
                {
                    // The transformer dropped a retriable response; its retry is already granted.
                    retry.DiscardedResponseStatus = 0;
                    retry.ChargeRetriedResponse(discarded);
                    stats.UpstreamRqTime.Record(elapsedMs);
                    host.Stats.OnRequestEnd(success: false);
                    retry.IsTimeoutRetry = false;
                }
                else if (error == ForwarderError.None)
                {
                    var status = info.ResponseCode == 0 ? context.Response.StatusCode : info.ResponseCode;
                    UpstreamFailureReplies.RecordResponse(stats, status, elapsedMs);
                    host.Stats.OnRequestEnd(success: status < 500);
                    return FilterStatus.StopIteration;
                }
                else if (!deadlineFired && !clientGone && context.Features.Get<IForwarderErrorFeature>()?.Exception is UpstreamOverflowException)
                {
                    // The connection pool's max_pending_requests: Envoy never retries an overflow.
                    host.Stats.OnRequestEnd(success: false);
                    await UpstreamFailureReplies.OnOverflowAsync(stream, cluster, _suppressEnvoyHeaders, retried: attempt > 1);
                    return FilterStatus.StopIteration;
                }
                else if (retry is null || deadlineFired || clientGone || context.Response.HasStarted || !RetryDecisions.IsUpstreamFailure(error, perTryFired))
                {
                    await UpstreamFailureReplies.OnForwardFailedAsync(stream, cluster, host, error, deadlineFired, durationFirst, elapsedMs, retried: attempt > 1);
                    return FilterStatus.StopIteration;
                }
                else
                {
                    var reset = UpstreamResetReason.Classify(context.Features.Get<IForwarderErrorFeature>()?.Exception);
                    var kind = perTryFired ? UpstreamFailureKind.Reset : reset.FailureKind;
                    if (perTryFired)
                    {
                        retry.CountPerTryTimeout();
                        host.Stats.OnRequestTimeout();
                    }
                    var status = retry.ShouldRetryFailure(kind, requestSent: kind != UpstreamFailureKind.ConnectFailure);
                    if (status != RetryStatus.Yes)
                    {
                        AddRetryFlag(info, status);
                        if (perTryFired)
                        {
                            host.Stats.OnRequestEnd(success: false);
                            UpstreamFailureReplies.RecordResponse(stats, StatusCodes.Status504GatewayTimeout, elapsedMs);
                            await UpstreamFailureReplies.ReplyOrResetAsync(stream, StatusCodes.Status504GatewayTimeout, "upstream request timeout", ResponseFlags.UpstreamRequestTimeout, "upstream_per_try_timeout");
                            return FilterStatus.StopIteration;
                        }
                        await UpstreamFailureReplies.OnForwardFailedAsync(stream, cluster, host, error, deadlineFired, durationFirst, elapsedMs, retried: attempt > 1);
                        return FilterStatus.StopIteration;
                    }
                    host.Stats.OnRequestEnd(success: false);
                    retry.IsTimeoutRetry = perTryFired;
                }

                // Nothing reached the downstream: forget this attempt's status and error before the next one.
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = null;
                context.Features.Set<IForwarderErrorFeature>(null);
                info.ResponseCode = 0;
                if (!await RetryBackOff.WaitAsync(retry.NextBackOff(), deadlineCts, context))
                {
                    if (context.RequestAborted.IsCancellationRequested)
                    {
                        info.AddResponseFlag(ResponseFlags.DownstreamConnectionTermination);
                        return FilterStatus.StopIteration;
                    }
                    if (requestTimeout is { HasFired: true })
                    {
                        await RequestTimeout.SendReplyAsync(stream);
                        return FilterStatus.StopIteration;
                    }
                    await UpstreamFailureReplies.OnDeadlineAsync(stream, cluster, durationFirst, 0);
                    return FilterStatus.StopIteration;
                }
                retry.PrepareRetry();
                var next = retry.ChooseRetryHost(cluster, new LoadBalancerContext());
                if (next is null)
                {
                    await stream.SendLocalReplyAsync(StatusCodes.Status503ServiceUnavailable, "no healthy upstream", ResponseFlags.NoHealthyUpstream, "no_healthy_upstream");
                    return FilterStatus.StopIteration;
                }
                host = next;
            }
        }
        finally
        {
            // Before the source goes back to the pool, where the timer must not reach it.
            requestTimeout?.Detach();
            routeTimeoutBody?.Unwrap(context.Request);
            if (deadlineCts is not null)
            {
                DeadlinePool.Return(deadlineCts);
            }
        }
    }

    private static void AddRetryFlag(StreamInfo info, RetryStatus status)
    {
        if (status == RetryStatus.NoRetryLimitExceeded)
        {
            info.AddResponseFlag(ResponseFlags.UpstreamRetryLimitExceeded);
        }
        else if (status == RetryStatus.NoOverflow)
        {
            info.AddResponseFlag(ResponseFlags.UpstreamOverflow);
        }
    }

    private static bool HttpProtocol_IsHttp2(string protocol) => protocol == Microsoft.AspNetCore.Http.HttpProtocol.Http2;

    private static bool UpgradeAllowed(HttpStream stream, RouteEntry route, string upgrade)
    {
        var byRoute = route.UpgradeEnabled(upgrade);
        if (byRoute is { } r)
        {
            return r && stream.ConnectionManager.Settings.Upgrades.ContainsKey(upgrade);
        }
        return stream.ConnectionManager.Settings.Upgrades.TryGetValue(upgrade, out var enabled) && enabled;
    }
}
