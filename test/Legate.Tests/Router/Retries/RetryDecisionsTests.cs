using Legate.Extensions.Filters.Http.Router;

namespace Legate.Tests.Router.Retries;

public sealed class RetryDecisionsTests
{
    [Theory]
    [InlineData("5xx", 500, true)]
    [InlineData("5xx", 503, true)]
    [InlineData("5xx", 599, true)]
    [InlineData("5xx", 409, false)]
    [InlineData("5xx", 200, false)]
    [InlineData("gateway-error", 502, true)]
    [InlineData("gateway-error", 503, true)]
    [InlineData("gateway-error", 504, true)]
    [InlineData("gateway-error", 500, false)]
    [InlineData("retriable-4xx", 409, true)]
    [InlineData("retriable-4xx", 404, false)]
    [InlineData("reset", 503, false)]
    [InlineData("connect-failure", 503, false)]
    [InlineData("", 503, false)]
    public void Response_status_conditions(string on, int status, bool retry)
    {
        Assert.Equal(retry, RetryDecisions.FromResponse(RetryOnTokens.Parse(on), status, rateLimited: false, grpcStatus: -1, []) == RetryDecision.RetryWithBackOff);
    }

    [Fact]
    public void Retriable_status_codes_use_the_listed_codes_only()
    {
        int[] codes = [418, 429];
        Assert.Equal(RetryDecision.RetryWithBackOff, RetryDecisions.FromResponse(RetryOn.RetriableStatusCodes, 418, false, -1, codes));
        Assert.Equal(RetryDecision.NoRetry, RetryDecisions.FromResponse(RetryOn.RetriableStatusCodes, 503, false, -1, codes));
        Assert.Equal(RetryDecision.NoRetry, RetryDecisions.FromResponse(RetryOn.FiveXx, 418, false, -1, codes));
    }

    [Fact]
    public void Rate_limited_responses_are_retried_only_under_envoy_ratelimited()
    {
        Assert.Equal(RetryDecision.RetryWithBackOff, RetryDecisions.FromResponse(RetryOn.EnvoyRateLimited, 429, true, -1, []));
        // Even a 5xx from an upstream Envoy's rate limiter is not retried by 5xx.
        Assert.Equal(RetryDecision.NoRetry, RetryDecisions.FromResponse(RetryOn.FiveXx, 503, true, -1, []));
        Assert.Equal(RetryDecision.NoRetry, RetryDecisions.FromResponse(RetryOn.EnvoyRateLimited, 429, false, -1, []));
    }

    [Theory]
    [InlineData("cancelled", 1, true)]
    [InlineData("deadline-exceeded", 4, true)]
    [InlineData("resource-exhausted", 8, true)]
    [InlineData("internal", 13, true)]
    [InlineData("unavailable", 14, true)]
    [InlineData("unavailable", 13, false)]
    [InlineData("unavailable", 0, false)]
    [InlineData("unavailable", -1, false)]
    [InlineData("5xx", 14, false)]
    public void Grpc_status_conditions(string on, int grpcStatus, bool retry)
    {
        Assert.Equal(retry, RetryDecisions.FromResponse(RetryOnTokens.Parse(on), 200, false, grpcStatus, []) == RetryDecision.RetryWithBackOff);
    }

    [Theory]
    [InlineData("5xx", "Reset", true)]
    [InlineData("gateway-error", "ConnectFailure", true)]
    [InlineData("reset", "Reset", true)]
    [InlineData("reset", "RefusedStream", true)]
    [InlineData("connect-failure", "ConnectFailure", true)]
    [InlineData("connect-failure", "Reset", false)]
    [InlineData("refused-stream", "RefusedStream", true)]
    [InlineData("refused-stream", "Reset", false)]
    [InlineData("retriable-4xx", "Reset", false)]
    [InlineData("5xx,reset", "Overflow", false)]
    public void Failure_conditions(string on, string kind, bool retry)
    {
        Assert.Equal(retry, RetryDecisions.FromFailure(RetryOnTokens.Parse(on), Enum.Parse<UpstreamFailureKind>(kind), requestSent: true) == RetryDecision.RetryWithBackOff);
    }

    [Fact]
    public void Reset_before_request_only_covers_failures_before_anything_was_sent()
    {
        Assert.Equal(RetryDecision.RetryWithBackOff, RetryDecisions.FromFailure(RetryOn.ResetBeforeRequest, UpstreamFailureKind.Reset, requestSent: false));
        Assert.Equal(RetryDecision.NoRetry, RetryDecisions.FromFailure(RetryOn.ResetBeforeRequest, UpstreamFailureKind.Reset, requestSent: true));
    }
}
