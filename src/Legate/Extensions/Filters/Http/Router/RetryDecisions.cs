using Yarp.ReverseProxy.Forwarder;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>Whether a failed upstream attempt would be retried under a set of <see cref="RetryOn"/> conditions.</summary>
internal enum RetryDecision
{
    NoRetry,
    RetryWithBackOff,
}

/// <summary>What failed an upstream attempt before response headers, as the retry conditions see it.</summary>
internal enum UpstreamFailureKind
{
    /// <summary>TCP/TLS connect failure or connect timeout.</summary>
    ConnectFailure,

    /// <summary>The upstream refused the stream (HTTP/2 REFUSED_STREAM).</summary>
    RefusedStream,

    /// <summary>Any other reset or disconnect before response headers; also a per-try timeout (a local reset).</summary>
    Reset,

    /// <summary>Circuit breaker overflow: never retried.</summary>
    Overflow,
}

/// <summary>
/// Envoy's retry conditions: which upstream responses and which resets are retriable. Pure functions
/// of the flags, so the policy compiled from config and request headers decides without allocating.
/// </summary>
internal static class RetryDecisions
{
    /// <summary>Failures the upstream caused (as opposed to the downstream or a deadline), which retry conditions may cover.</summary>
    public static bool IsUpstreamFailure(ForwarderError error, bool perTryFired) => error switch
    {
        ForwarderError.Request or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders
            or ForwarderError.ResponseBodyDestination => true,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled => perTryFired,
        _ => false,
    };

    private const int GrpcCancelled = 1;
    private const int GrpcDeadlineExceeded = 4;
    private const int GrpcResourceExhausted = 8;
    private const int GrpcInternal = 13;
    private const int GrpcUnavailable = 14;

    /// <param name="status">Upstream response status.</param>
    /// <param name="rateLimited">The response carries <c>x-envoy-ratelimited</c> (an upstream Envoy rate limited it).</param>
    /// <param name="grpcStatus">grpc-status of a trailers-only response, or -1.</param>
    public static RetryDecision FromResponse(RetryOn on, int status, bool rateLimited, int grpcStatus, ReadOnlySpan<int> retriableStatusCodes)
    {
        if (rateLimited)
        {
            // Only the envoy-ratelimited condition retries a response an upstream Envoy rate limited.
            return (on & RetryOn.EnvoyRateLimited) != 0 ? RetryDecision.RetryWithBackOff : RetryDecision.NoRetry;
        }
        if ((on & RetryOn.FiveXx) != 0 && status is >= 500 and <= 599)
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.GatewayError) != 0 && status is 502 or 503 or 504)
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.Retriable4xx) != 0 && status == 409)
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.RetriableStatusCodes) != 0 && retriableStatusCodes.Contains(status))
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.AnyGrpc) != 0 && grpcStatus >= 0)
        {
            var grpc = grpcStatus switch
            {
                GrpcCancelled => RetryOn.GrpcCancelled,
                GrpcDeadlineExceeded => RetryOn.GrpcDeadlineExceeded,
                GrpcResourceExhausted => RetryOn.GrpcResourceExhausted,
                GrpcInternal => RetryOn.GrpcInternal,
                GrpcUnavailable => RetryOn.GrpcUnavailable,
                _ => RetryOn.None,
            };
            if ((on & grpc) != 0)
            {
                return RetryDecision.RetryWithBackOff;
            }
        }
        return RetryDecision.NoRetry;
    }

    /// <param name="requestSent">Whether any of the request reached the upstream (for reset-before-request).</param>
    public static RetryDecision FromFailure(RetryOn on, UpstreamFailureKind kind, bool requestSent)
    {
        if (kind == UpstreamFailureKind.Overflow)
        {
            return RetryDecision.NoRetry;
        }
        // An upstream reset surfaces as a 503, so the 5xx conditions cover it as well.
        if ((on & (RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset)) != 0)
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.ConnectFailure) != 0 && kind == UpstreamFailureKind.ConnectFailure)
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.RefusedStream) != 0 && kind == UpstreamFailureKind.RefusedStream)
        {
            return RetryDecision.RetryWithBackOff;
        }
        if ((on & RetryOn.ResetBeforeRequest) != 0 && !requestSent)
        {
            return RetryDecision.RetryWithBackOff;
        }
        return RetryDecision.NoRetry;
    }
}
