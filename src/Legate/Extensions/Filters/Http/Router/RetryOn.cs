namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// The conditions of a retry policy's <c>retry_on</c> (and the <c>x-envoy-retry-on</c> /
/// <c>x-envoy-retry-grpc-on</c> request headers), as flags so a decision is a mask test.
/// </summary>
[Flags]
internal enum RetryOn
{
    None = 0,
    FiveXx = 1 << 0,
    GatewayError = 1 << 1,
    Reset = 1 << 2,
    ConnectFailure = 1 << 3,
    Retriable4xx = 1 << 4,
    RefusedStream = 1 << 5,
    RetriableStatusCodes = 1 << 6,
    RetriableHeaders = 1 << 7,
    EnvoyRateLimited = 1 << 8,
    ResetBeforeRequest = 1 << 9,
    Http3PostConnectFailure = 1 << 10,
    GrpcCancelled = 1 << 11,
    GrpcDeadlineExceeded = 1 << 12,
    GrpcInternal = 1 << 13,
    GrpcResourceExhausted = 1 << 14,
    GrpcUnavailable = 1 << 15,

    AnyGrpc = GrpcCancelled | GrpcDeadlineExceeded | GrpcInternal | GrpcResourceExhausted | GrpcUnavailable,
}

/// <summary>Parses Envoy's comma separated retry_on token lists. Unknown tokens are ignored, as Envoy does.</summary>
internal static class RetryOnTokens
{
    public static RetryOn Parse(string? list)
    {
        if (string.IsNullOrEmpty(list))
        {
            return RetryOn.None;
        }
        var result = RetryOn.None;
        var rest = list.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var token = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? ReadOnlySpan<char>.Empty : rest[(comma + 1)..];
            result |= Token(token);
        }
        return result;
    }

    public static RetryOn Parse(IReadOnlyList<string> tokens)
    {
        var result = RetryOn.None;
        for (var i = 0; i < tokens.Count; i++)
        {
            result |= Token(tokens[i].AsSpan().Trim());
        }
        return result;
    }

    private static RetryOn Token(ReadOnlySpan<char> token) => token switch
    {
        "5xx" => RetryOn.FiveXx,
        "gateway-error" => RetryOn.GatewayError,
        "reset" => RetryOn.Reset,
        "reset-before-request" => RetryOn.ResetBeforeRequest,
        "connect-failure" => RetryOn.ConnectFailure,
        "retriable-4xx" => RetryOn.Retriable4xx,
        "refused-stream" => RetryOn.RefusedStream,
        "retriable-status-codes" => RetryOn.RetriableStatusCodes,
        "retriable-headers" => RetryOn.RetriableHeaders,
        "envoy-ratelimited" => RetryOn.EnvoyRateLimited,
        "http3-post-connect-failure" => RetryOn.Http3PostConnectFailure,
        "cancelled" => RetryOn.GrpcCancelled,
        "deadline-exceeded" => RetryOn.GrpcDeadlineExceeded,
        "internal" => RetryOn.GrpcInternal,
        "resource-exhausted" => RetryOn.GrpcResourceExhausted,
        "unavailable" => RetryOn.GrpcUnavailable,
        _ => RetryOn.None,
    };
}
