using System.Diagnostics;
using System.Globalization;
using Legate.Http;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Shapes the upstream request and the downstream response around YARP's forwarder with Envoy's rules:
/// the Host is kept (or rewritten), the path is the routed path sent raw, and the response gets
/// <c>x-envoy-upstream-service-time</c>, the server header and route response header mutations.
/// </summary>
internal sealed class RouterTransformer(bool suppressEnvoyHeaders) : HttpTransformer
{
    private static readonly UriCreationOptions s_rawUri = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var stream = httpContext.Features.Get<HttpStream>()!;
        proxyRequest.RequestUri = new Uri(destinationPrefix + stream.Path, in s_rawUri);
        if (stream.UpstreamAuthority is { } authority)
        {
            proxyRequest.Headers.Host = authority;
        }
        if (stream.VirtualHost is { } virtualHost)
        {
            AddAttemptHeaders(httpContext, proxyRequest, stream, virtualHost);
        }
        stream.Info.FirstUpstreamTxByteTimestamp = Stopwatch.GetTimestamp();
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && httpContext.Features.Get<RetryState>() is { } retry
            && !PassResponse(httpContext.Features.Get<HttpStream>()!, retry, retry.ShouldRetryResponse(proxyResponse), (int)proxyResponse.StatusCode))
        {
            // Retried: nothing of this response (headers, body) reaches the downstream.
            return false;
        }
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return result;
        }
        var stream = httpContext.Features.Get<HttpStream>()!;
        var isHead = HttpMethods.IsHead(httpContext.Request.Method);
        var declaredLength = isHead ? null : proxyResponse.Content.Headers.ContentLength;
        if (!isHead && declaredLength is null && !stream.IsGrpc && stream.UpgradeType is null)
        {
            // Chunked body: count as it is copied (gRPC and upgrades keep Kestrel's own body feature for trailers/duplex).
            httpContext.Response.Body = new CountingResponseStream(httpContext.Response.Body, stream.Info);
        }
        OnUpstreamHeaders(stream, (int)proxyResponse.StatusCode, declaredLength, suppressEnvoyHeaders, Stopwatch.GetTimestamp());
        return result;
    }

    /// <summary>
    /// What every upstream response gets once its headers are in the downstream response, whichever client
    /// fetched it: byte counts for what the lengths declare, timing and status in the stream info,
    /// x-envoy-upstream-service-time, the connection manager's response headers.
    /// </summary>
    /// <param name="declaredBodyLength">The response body's content-length when a body follows; null when it is counted as copied or absent.</param>
    /// <param name="now">When the response head arrived (Stopwatch ticks).</param>
    internal static void OnUpstreamHeaders(HttpStream stream, int status, long? declaredBodyLength, bool suppressEnvoyHeaders, long now)
    {
        if (declaredBodyLength is { } sent)
        {
            stream.Info.BytesSent += sent;
        }
        if (stream.Context.Request.ContentLength is { } received)
        {
            stream.Info.BytesReceived += received;
        }
        stream.Info.FirstUpstreamRxByteTimestamp = now;
        stream.Info.ResponseCode = status;
        stream.Info.ResponseCodeDetails = "via_upstream";
        if (!suppressEnvoyHeaders)
        {
            var ms = (long)Stopwatch.GetElapsedTime(stream.UpstreamRequestStartTimestamp, now).TotalMilliseconds;
            stream.Context.Response.Headers["x-envoy-upstream-service-time"] = MillisecondsText.Of(ms);
        }
        stream.ConnectionManager.PrepareResponseHeaders(stream);
    }

    /// <summary>True to pass the response on; false when it is retried (the router then starts the next attempt).</summary>
    internal static bool PassResponse(HttpStream stream, RetryState retry, RetryStatus decision, int status)
    {
        switch (decision)
        {
            case RetryStatus.Yes:
                retry.DiscardedResponseStatus = status;
                return false;
            case RetryStatus.NoRetryLimitExceeded:
                stream.Info.AddResponseFlag(ResponseFlags.UpstreamRetryLimitExceeded);
                return true;
            case RetryStatus.NoOverflow:
                stream.Info.AddResponseFlag(ResponseFlags.UpstreamOverflow);
                return true;
            default:
                return true;
        }
    }

    private static void AddAttemptHeaders(HttpContext httpContext, HttpRequestMessage proxyRequest, HttpStream stream, Legate.Router.VirtualHostEntry virtualHost)
    {
        var headers = proxyRequest.Headers;
        if (virtualHost.IncludeRequestAttemptCount)
        {
            headers.Remove("x-envoy-attempt-count");
            headers.TryAddWithoutValidation("x-envoy-attempt-count", MillisecondsText.Of(stream.Info.UpstreamRequestAttemptCount));
        }
        if (virtualHost.IncludeIsTimeoutRetryHeader && stream.Info.UpstreamRequestAttemptCount > 1 && httpContext.Features.Get<RetryState>() is { } retry)
        {
            headers.Remove("x-envoy-is-timeout-retry");
            headers.TryAddWithoutValidation("x-envoy-is-timeout-retry", retry.IsTimeoutRetry ? "true" : "false");
        }
    }
}
