using Legate.Http;
using Legate.Upstream;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// How the router ends a request whose upstream attempt failed: Envoy's local replies (or a downstream
/// reset once the response has started), response flags, and the cluster and host stats.
/// </summary>
internal static class UpstreamFailureReplies
{
    /// <summary>Turns a failed forward into Envoy's local reply (or a reset once the response has started), flags and stats.</summary>
    public static async Task OnForwardFailedAsync(HttpStream stream, UpstreamCluster cluster, Host host, ForwarderError error, bool deadlineFired, bool durationFirst, double elapsedMs, bool retried)
    {
        var context = stream.Context;
        var info = stream.Info;
        var stats = cluster.Stats;
        var hcmStats = stream.ConnectionManager.Stats;
        host.Stats.OnRequestEnd(success: false);
        if (deadlineFired)
        {
            if (!durationFirst)
            {
                host.Stats.OnRequestTimeout();
            }
            await OnDeadlineAsync(stream, cluster, durationFirst, elapsedMs);
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
        var reset = UpstreamResetReason.Classify(exception);
        if (reset.Flag == ResponseFlags.UpstreamConnectionTermination)
        {
            stats.Scope.Counter("upstream_cx_destroy_remote_with_active_rq").Inc();
        }
        if (context.Response.HasStarted)
        {
            // The upstream reset (HTTP/2) or closed the connection (HTTP/1.1) mid-response: Envoy resets the
            // downstream stream too.
            hcmStats.RqResetAfterDownstreamResponseStarted.Inc();
            if (reset.Flag == ResponseFlags.UpstreamConnectionTermination)
            {
                info.AddResponseFlag(ResponseFlags.UpstreamConnectionTermination);
            }
            else
            {
                info.AddResponseFlag(ResponseFlags.UpstreamRemoteReset);
                stats.Scope.Counter("upstream_rq_rx_reset").Inc();
            }
            context.Abort();
            return;
        }
        info.UpstreamTransportFailureReason = reset.TransportFailure;
        RecordResponse(stats, reset.Status, elapsedMs);
        await stream.SendLocalReplyAsync(reset.Status, reset.BodyAfter(retried), reset.Flag, reset.Details);
    }

    /// <summary>
    /// A circuit breaker (max_requests, or max_pending_requests in the connection pool) refused the attempt:
    /// 503 with the overflow reset reason, flag UO and x-envoy-overloaded; Envoy counts both refusals as
    /// upstream_rq_pending_overflow and never retries them.
    /// </summary>
    public static Task OnOverflowAsync(HttpStream stream, UpstreamCluster cluster, bool suppressEnvoyHeaders, bool retried)
    {
        var stats = cluster.Stats;
        stats.UpstreamRqPendingOverflow.Inc();
        stats.RecordResponse(StatusCodes.Status503ServiceUnavailable);
        var reset = UpstreamResetReason.Overflow;
        return stream.SendLocalReplyAsync(reset.Status, reset.BodyAfter(retried), reset.Flag, reset.Details, overloaded: !suppressEnvoyHeaders);
    }

    /// <summary>The route timeout (504) or max_stream_duration (408) ended the request, during an attempt or a back-off.</summary>
    public static Task OnDeadlineAsync(HttpStream stream, UpstreamCluster cluster, bool durationFirst, double elapsedMs)
    {
        if (durationFirst)
        {
            stream.ConnectionManager.Stats.DownstreamRqMaxDurationReached.Inc();
            return ReplyOrResetAsync(stream, StatusCodes.Status408RequestTimeout, "downstream duration timeout", ResponseFlags.DurationTimeout, "max_duration_timeout");
        }
        var stats = cluster.Stats;
        stats.UpstreamRqTimeout.Inc();
        if (!stream.Context.Response.HasStarted)
        {
            RecordResponse(stats, StatusCodes.Status504GatewayTimeout, elapsedMs);
        }
        return ReplyOrResetAsync(stream, StatusCodes.Status504GatewayTimeout, "upstream request timeout", ResponseFlags.UpstreamRequestTimeout, "upstream_response_timeout");
    }

    /// <summary>A local reply before the response started; afterwards Envoy can only reset the stream.</summary>
    public static Task ReplyOrResetAsync(HttpStream stream, int status, string body, ResponseFlags flag, string details)
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

    public static void RecordResponse(ClusterStats stats, int status, double elapsedMs)
    {
        stats.RecordResponse(status);
        stats.UpstreamRqTime.Record(elapsedMs);
    }
}
