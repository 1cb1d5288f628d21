using Legate.Extensions.Filters.Http.Router;

namespace Legate.Tests.Router.Retries;

public sealed class RetryOnTests
{
    [Theory]
    [InlineData("5xx", "FiveXx")]
    [InlineData("gateway-error", "GatewayError")]
    [InlineData("reset", "Reset")]
    [InlineData("connect-failure", "ConnectFailure")]
    [InlineData("retriable-4xx", "Retriable4xx")]
    [InlineData("refused-stream", "RefusedStream")]
    [InlineData("retriable-status-codes", "RetriableStatusCodes")]
    [InlineData("envoy-ratelimited", "EnvoyRateLimited")]
    [InlineData("cancelled", "GrpcCancelled")]
    [InlineData("deadline-exceeded", "GrpcDeadlineExceeded")]
    [InlineData("internal", "GrpcInternal")]
    [InlineData("resource-exhausted", "GrpcResourceExhausted")]
    [InlineData("unavailable", "GrpcUnavailable")]
    public void Each_token_maps_to_its_condition(string token, string expected)
    {
        Assert.Equal(Enum.Parse<RetryOn>(expected), RetryOnTokens.Parse(token));
    }

    [Fact]
    public void Lists_are_comma_separated_with_spaces_and_unknown_tokens_are_ignored()
    {
        Assert.Equal(RetryOn.FiveXx | RetryOn.ConnectFailure | RetryOn.GrpcUnavailable,
            RetryOnTokens.Parse(" 5xx, bogus ,connect-failure,,unavailable"));
        Assert.Equal(RetryOn.None, RetryOnTokens.Parse(""));
        Assert.Equal(RetryOn.None, RetryOnTokens.Parse((string?)null));
        Assert.Equal(RetryOn.Reset | RetryOn.Retriable4xx, RetryOnTokens.Parse(["reset", " retriable-4xx "]));
    }
}
