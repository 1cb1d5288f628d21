using Google.Protobuf;
using Legate.AccessLog.Filters;
using Legate.Config;
using Legate.Formatting;
using Legate.Http;
using Legate.Tests.Formatting;
using Microsoft.AspNetCore.Http;
using Proto = Envoy.Config.Accesslog.V3;

namespace Legate.Tests.AccessLog;

public class AccessLogFilterTests
{
    private static IAccessLogFilter Build(string json) =>
        AccessLogFilterBuilder.Build(JsonParser.Default.Parse<Proto.AccessLogFilter>(json), "filter");

    private static FormatContext Stream(int status = 200, ResponseFlags flags = ResponseFlags.None, HeaderDictionary? request = null,
        HeaderDictionary? trailers = null, bool healthCheck = false)
    {
        var info = TestStreams.Info();
        info.ResponseCode = status;
        info.ResponseFlags = flags;
        info.HealthCheck = healthCheck;
        return TestStreams.Context(info, request, trailers: trailers);
    }

    [Theory]
    [InlineData(399, false)]
    [InlineData(400, true)]
    [InlineData(503, true)]
    public void StatusCodeGreaterOrEqual(int status, bool logged)
    {
        var filter = Build("""{"statusCodeFilter": {"comparison": {"op": "GE", "value": {"defaultValue": 400, "runtimeKey": "k"}}}}""");

        Assert.Equal(logged, filter.Evaluate(Stream(status)));
    }

    [Fact]
    public void StatusCodeOtherOperators()
    {
        Assert.True(Build("""{"statusCodeFilter": {"comparison": {"value": {"defaultValue": 200}}}}""").Evaluate(Stream(200)));
        Assert.True(Build("""{"statusCodeFilter": {"comparison": {"op": "LE", "value": {"defaultValue": 299}}}}""").Evaluate(Stream(204)));
        Assert.False(Build("""{"statusCodeFilter": {"comparison": {"op": "NE", "value": {"defaultValue": 204}}}}""").Evaluate(Stream(204)));
    }

    [Fact]
    public void DurationFilterComparesTotalMilliseconds()
    {
        Assert.True(Build("""{"durationFilter": {"comparison": {"op": "GE", "value": {"defaultValue": 200}}}}""").Evaluate(Stream()));
        Assert.False(Build("""{"durationFilter": {"comparison": {"op": "GE", "value": {"defaultValue": 227}}}}""").Evaluate(Stream()));
    }

    [Fact]
    public void ResponseFlagFilterMatchesListedOrAnyFlag()
    {
        var listed = Build("""{"responseFlagFilter": {"flags": ["UF", "UO"]}}""");
        var any = Build("""{"responseFlagFilter": {}}""");

        Assert.True(listed.Evaluate(Stream(flags: ResponseFlags.UpstreamConnectionFailure | ResponseFlags.NoRouteFound)));
        Assert.False(listed.Evaluate(Stream(flags: ResponseFlags.NoRouteFound)));
        Assert.True(any.Evaluate(Stream(flags: ResponseFlags.NoRouteFound)));
        Assert.False(any.Evaluate(Stream()));
    }

    [Fact]
    public void UnknownResponseFlagIsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => Build("""{"responseFlagFilter": {"flags": ["UF", "XX"]}}"""));
        Assert.Equal("filter.response_flag_filter.flags[1]: unknown response flag \"XX\"", e.Message);
    }

    [Fact]
    public void AndOrCombineSubFilters()
    {
        var and = Build("""
            {"andFilter": {"filters": [
              {"statusCodeFilter": {"comparison": {"op": "GE", "value": {"defaultValue": 500}}}},
              {"responseFlagFilter": {"flags": ["UH"]}}]}}
            """);
        var or = Build("""
            {"orFilter": {"filters": [
              {"statusCodeFilter": {"comparison": {"op": "GE", "value": {"defaultValue": 500}}}},
              {"responseFlagFilter": {"flags": ["UH"]}}]}}
            """);

        Assert.True(and.Evaluate(Stream(503, ResponseFlags.NoHealthyUpstream)));
        Assert.False(and.Evaluate(Stream(503)));
        Assert.True(or.Evaluate(Stream(503)));
        Assert.True(or.Evaluate(Stream(200, ResponseFlags.NoHealthyUpstream)));
        Assert.False(or.Evaluate(Stream(200)));
    }

    [Fact]
    public void AndNeedsTwoFilters()
    {
        var e = Assert.Throws<ConfigException>(() => Build("""{"andFilter": {"filters": [{"notHealthCheckFilter": {}}]}}"""));
        Assert.Equal("filter.and_filter.filters: value must contain at least 2 item(s)", e.Message);
    }

    [Fact]
    public void NotHealthCheckAndTraceable()
    {
        Assert.True(Build("""{"notHealthCheckFilter": {}}""").Evaluate(Stream()));
        Assert.False(Build("""{"notHealthCheckFilter": {}}""").Evaluate(Stream(healthCheck: true)));
        Assert.False(Build("""{"traceableFilter": {}}""").Evaluate(Stream()));
    }

    [Theory]
    [InlineData("""{"name": "user-agent", "stringMatch": {"prefix": "NSQ", "ignoreCase": true}}""", true)]
    [InlineData("""{"name": "user-agent", "stringMatch": {"exact": "NSQ2HTTP"}}""", false)]
    [InlineData("""{"name": "user-agent", "exactMatch": "nsq2http"}""", true)]
    [InlineData("""{"name": "user-agent", "suffixMatch": "http"}""", true)]
    [InlineData("""{"name": "user-agent", "containsMatch": "q2h"}""", true)]
    [InlineData("""{"name": "user-agent", "safeRegexMatch": {"regex": "nsq[0-9]http"}}""", true)]
    [InlineData("""{"name": "user-agent", "stringMatch": {"safeRegex": {"regex": "nsq"}}}""", false)]
    [InlineData("""{"name": "x-count", "rangeMatch": {"start": 1, "end": 10}}""", true)]
    [InlineData("""{"name": "x-count", "rangeMatch": {"start": 1, "end": 5}}""", false)]
    [InlineData("""{"name": "x-missing", "presentMatch": true}""", false)]
    [InlineData("""{"name": "x-missing", "presentMatch": false}""", true)]
    [InlineData("""{"name": "x-missing", "presentMatch": true, "invertMatch": true}""", true)]
    [InlineData("""{"name": "x-missing", "exactMatch": "a", "invertMatch": true}""", false)]
    [InlineData("""{"name": "x-missing", "exactMatch": "", "treatMissingHeaderAsEmpty": true}""", true)]
    [InlineData("""{"name": "user-agent", "exactMatch": "other", "invertMatch": true}""", true)]
    [InlineData("""{"name": "user-agent"}""", true)]
    [InlineData("""{"name": ":method", "exactMatch": "POST"}""", true)]
    [InlineData("""{"name": "x-multi", "exactMatch": "a,b"}""", true)]
    public void HeaderFilterMatchesRequestHeaders(string matcher, bool expected)
    {
        var request = TestStreams.RequestHeaders();
        request["x-count"] = "7";
        request["x-multi"] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]);
        var filter = Build("{\"headerFilter\": {\"header\": " + matcher + "}}");

        Assert.Equal(expected, filter.Evaluate(Stream(request: request)));
    }

    [Theory]
    [InlineData("7", """{"statuses": ["PERMISSION_DENIED", "UNAVAILABLE"]}""", true)]
    [InlineData("0", """{"statuses": ["PERMISSION_DENIED"]}""", false)]
    [InlineData("0", """{"statuses": ["OK"], "exclude": true}""", false)]
    [InlineData(null, """{"statuses": ["UNKNOWN"]}""", true)]
    public void GrpcStatusFilter(string? grpcStatus, string config, bool expected)
    {
        var trailers = new HeaderDictionary();
        if (grpcStatus is not null)
        {
            trailers["grpc-status"] = grpcStatus;
        }
        var filter = Build("{\"grpcStatusFilter\": " + config + "}");

        Assert.Equal(expected, filter.Evaluate(Stream(trailers: trailers)));
    }

    [Fact]
    public void RuntimeFilterUsesPercentSampledAndRequestId()
    {
        var all = Build("""{"runtimeFilter": {"runtimeKey": "k", "percentSampled": {"numerator": 100}}}""");
        var none = Build("""{"runtimeFilter": {"runtimeKey": "k"}}""");
        // x-request-id cc21d9b0 = 3424770480; 3424770480 % 100 = 80.
        var below = Build("""{"runtimeFilter": {"runtimeKey": "k", "percentSampled": {"numerator": 80}}}""");
        var above = Build("""{"runtimeFilter": {"runtimeKey": "k", "percentSampled": {"numerator": 81}}}""");

        Assert.True(all.Evaluate(Stream()));
        Assert.False(none.Evaluate(Stream()));
        Assert.False(below.Evaluate(Stream()));
        Assert.True(above.Evaluate(Stream()));
    }

    [Theory]
    [InlineData("""{"metadataFilter": {}}""", "filter.metadata_filter: unsupported access log filter")]
    [InlineData("""{"extensionFilter": {"name": "x"}}""", "filter.extension_filter: unsupported access log filter extension \"x\"")]
    [InlineData("{}", "filter: one of the access log filter types must be set")]
    [InlineData("""{"statusCodeFilter": {}}""", "filter.status_code_filter.comparison: value is required")]
    [InlineData("""{"headerFilter": {"header": {"name": "a", "safeRegexMatch": {"regex": "("}}}}""", null)]
    public void UnsupportedOrInvalidFiltersAreConfigErrors(string json, string? message)
    {
        var e = Assert.Throws<ConfigException>(() => Build(json));
        if (message is null)
        {
            Assert.Equal("filter.header_filter.header.safe_regex_match.regex", e.FieldPath);
        }
        else
        {
            Assert.Equal(message, e.Message);
        }
    }
}
