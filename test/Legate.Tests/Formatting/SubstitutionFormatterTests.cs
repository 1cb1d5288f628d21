using Legate.AccessLog;
using Legate.Config;
using Legate.Formatting;
using Legate.Http;
using Microsoft.AspNetCore.Http;

namespace Legate.Tests.Formatting;

public class SubstitutionFormatterTests
{
    private static string Format(string format, FormatContext? context = null) =>
        SubstitutionFormatter.Parse(format, "f").Format(context ?? TestStreams.Context());

    [Fact]
    public void DefaultFormatRendersEnvoysDocumentedLine()
    {
        var line = AccessLogFormats.DefaultFormatter.Format(TestStreams.Context());

        Assert.Equal(
            "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 \"10.0.35.28\" \"nsq2http\" " +
            "\"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"10.0.2.1:80\"\n",
            line);
    }

    [Fact]
    public void DefaultFormatPrintsDashesForAnEmptyStream()
    {
        var context = new FormatContext(new StreamInfo(), requestHeaders: null);

        Assert.Equal("[-] \"- - -\" 0 - 0 0 - - \"-\" \"-\" \"-\" \"-\" \"-\"\n", AccessLogFormats.DefaultFormatter.Format(context));
    }

    [Theory]
    [InlineData("%START_TIME(%Y/%m/%d %H:%M:%S)%", "2016/04/15 20:17:00")]
    [InlineData("%START_TIME(%s)%", "1460751420")]
    [InlineData("%START_TIME(%s.%3f)%", "1460751420.310")]
    [InlineData("%START_TIME(%6f|%9f|%f|%1f)%", "310000|310000000|310000000|3")]
    [InlineData("%START_TIME(%e %b %a %z %Z %j)%", "15 Apr Fri +0000 UTC 106")]
    [InlineData("%START_TIME(%FT%T%Ez)%", "2016-04-15T20:17:00+00:00")]
    [InlineData("%START_TIME(%E3S|%E*S)%", "00.310|00.31")]
    [InlineData("%START_TIME(%I %p %%)%", "08 PM %")]
    public void StartTimeHonoursStrftimeSpecifiers(string format, string expected) => Assert.Equal(expected, Format(format));

    [Fact]
    public void StartTimeRejectsNewlineSpecifier()
    {
        var e = Assert.Throws<ConfigException>(() => SubstitutionFormatter.Parse("%START_TIME(%Y%n)%", "p"));
        Assert.Equal("p: Invalid header configuration. Format string contains newline.", e.Message);
    }

    [Theory]
    [InlineData("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", "/api/v1/locations")]
    [InlineData("%REQ(:METHOD)% %REQ(:AUTHORITY)% %REQ(:SCHEME)%", "POST locations https")]
    [InlineData("%REQ(USER-AGENT):3%", "nsq")]
    [InlineData("%REQ(X-MISSING?USER-AGENT):4%", "nsq2")]
    [InlineData("%REQ(X-MISSING)%|%REQ(X-MISSING?X-ALSO-MISSING)%", "-|-")]
    [InlineData("%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% %RESP(:STATUS)%", "100 204")]
    [InlineData("%REQUEST_HEADER(user-agent)%", "nsq2http")]
    public void HeaderOperatorsUseFallbackAndTruncation(string format, string expected) => Assert.Equal(expected, Format(format));

    [Fact]
    public void TrailerOperatorReadsTrailers()
    {
        var context = TestStreams.Context(trailers: new HeaderDictionary { ["grpc-message"] = "boom" });

        Assert.Equal("boom -", Format("%TRAILER(GRPC-MESSAGE)% %TRAILER(X-NONE)%", context));
    }

    [Fact]
    public void MissingValuesRenderDashUnlessOmitted()
    {
        var context = new FormatContext(new StreamInfo(), requestHeaders: null);
        const string format = "a=%UPSTREAM_HOST% b=%ROUTE_NAME% c=%RESPONSE_CODE_DETAILS% d=%PROTOCOL% e=%DURATION%";

        Assert.Equal("a=- b=- c=- d=- e=-", SubstitutionFormatter.Parse(format, "f").Format(context));
        Assert.Equal("a= b= c= d= e=", SubstitutionFormatter.Parse(format, "f", omitEmptyValues: true).Format(context));
    }

    [Fact]
    public void ResponseFlagsRenderShortAndLongNamesInCanonicalOrder()
    {
        var info = TestStreams.Info();
        info.AddResponseFlag(ResponseFlags.UpstreamRetryLimitExceeded);
        info.AddResponseFlag(ResponseFlags.NoHealthyUpstream);
        var context = TestStreams.Context(info);

        Assert.Equal("UH,URX", Format("%RESPONSE_FLAGS%", context));
        Assert.Equal("NoHealthyUpstream,UpstreamRetryLimitExceeded", Format("%RESPONSE_FLAGS_LONG%", context));
        Assert.Equal("-", Format("%RESPONSE_FLAGS%"));
    }

    [Fact]
    public void StreamInfoOperatorsRenderTheirFields()
    {
        var info = TestStreams.Info();
        info.RequestCompleteTimestamp = TestStreams.AfterStart(12);
        info.FirstUpstreamTxByteTimestamp = TestStreams.AfterStart(15);
        info.FirstUpstreamRxByteTimestamp = TestStreams.AfterStart(120);
        info.LastDownstreamTxByteTimestamp = TestStreams.AfterStart(200);
        info.UpstreamLocalAddress = "[2001:db8::5]:40000";
        info.UpstreamTransportFailureReason = "connection refused";
        info.UpstreamRequestAttemptCount = 2;
        info.ConnectionId = 42;
        info.RouteName = "r1";
        info.RequestedServerName = "example.com";
        info.ResponseCodeDetails = "via_upstream";
        var context = TestStreams.Context(info);

        Assert.Equal("12 15 120 80 226", Format("%REQUEST_DURATION% %REQUEST_TX_DURATION% %RESPONSE_DURATION% %RESPONSE_TX_DURATION% %DURATION%", context));
        Assert.Equal("10.0.2.1:80 10.0.2.1 80 2001:db8::5 40000", Format(
            "%UPSTREAM_REMOTE_ADDRESS% %UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %UPSTREAM_REMOTE_PORT% %UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT% %UPSTREAM_LOCAL_PORT%",
            context));
        Assert.Equal("10.0.35.28:51000 10.0.35.28 10.0.0.1:10000 10.0.0.1 10000 [2001:db8::1]:443 2001:db8::1", Format(
            "%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_LOCAL_PORT% %DOWNSTREAM_DIRECT_REMOTE_ADDRESS% " +
            "%DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%",
            context));
        Assert.Equal("connection_refused 2 42 r1 example.com via_upstream locations_cluster", Format(
            "%UPSTREAM_TRANSPORT_FAILURE_REASON% %UPSTREAM_REQUEST_ATTEMPT_COUNT% %CONNECTION_ID% %ROUTE_NAME% " +
            "%REQUESTED_SERVER_NAME% %RESPONSE_CODE_DETAILS% %UPSTREAM_CLUSTER%",
            context));
    }

    [Fact]
    public void LiteralsAndPercentEscapes()
    {
        var formatter = SubstitutionFormatter.Parse("100%% done", "f");

        Assert.True(formatter.IsLiteral);
        Assert.Equal("100% done", formatter.Format(TestStreams.Context()));
        Assert.Equal("", SubstitutionFormatter.Parse("", "f").Format(TestStreams.Context()));
        Assert.False(SubstitutionFormatter.Parse("x %PROTOCOL%", "f").IsLiteral);
    }

    [Fact]
    public void UniqueIdIsAFreshUuid()
    {
        var formatter = SubstitutionFormatter.Parse("%UNIQUE_ID%", "f");
        var a = formatter.Format(TestStreams.Context());
        var b = formatter.Format(TestStreams.Context());

        Assert.True(Guid.TryParse(a, out _));
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("application/grpc", "7", "%GRPC_STATUS%", "PermissionDenied")]
    [InlineData("application/grpc+proto", "7", "%GRPC_STATUS(SNAKE_STRING)%", "PERMISSION_DENIED")]
    [InlineData("application/grpc", "1", "%GRPC_STATUS(SNAKE_STRING)%", "CANCELLED")]
    [InlineData("application/grpc", "7", "%GRPC_STATUS_NUMBER%", "7")]
    [InlineData("application/grpc", "99", "%GRPC_STATUS%", "99")]
    [InlineData("application/grpc", "x", "%GRPC_STATUS%", "-1")]
    [InlineData("application/grpc", null, "%GRPC_STATUS%", "Unknown")]
    [InlineData("application/json", "7", "%GRPC_STATUS%", "-")]
    public void GrpcStatusComesFromTrailersHeadersOrHttpStatus(string contentType, string? grpcStatus, string format, string expected)
    {
        var request = TestStreams.RequestHeaders();
        request["content-type"] = contentType;
        var trailers = new HeaderDictionary();
        if (grpcStatus is not null)
        {
            trailers["grpc-status"] = grpcStatus;
        }
        var info = TestStreams.Info();
        info.ResponseCode = 200;

        Assert.Equal(expected, Format(format, TestStreams.Context(info, request, trailers: trailers)));
    }

    [Fact]
    public void GrpcStatusInfersFromHttpStatusWhenNoHeader()
    {
        var request = TestStreams.RequestHeaders();
        request["content-type"] = "application/grpc";
        var info = TestStreams.Info();
        info.ResponseCode = 503;

        Assert.Equal("Unavailable", Format("%GRPC_STATUS%", TestStreams.Context(info, request)));
    }

    [Theory]
    [InlineData("%FOO%", "p: Not supported field in StreamInfo: FOO")]
    [InlineData("x %REQ(a?b?c)%", "p: More than 1 alternative header specified in token: a?b?c")]
    [InlineData("%REQ%", "p: REQ requires parameters")]
    [InlineData("%PROTOCOL(x)%", "p: PROTOCOL does not take any parameters or length")]
    [InlineData("%START_TIME:3%", "p: START_TIME does not allow length to be specified.")]
    [InlineData("%GRPC_STATUS(BAD)%", "p: GrpcStatusFormatter only supports CAMEL_STRING, SNAKE_STRING or NUMBER.")]
    [InlineData("50% off", "p: Incorrect configuration: 50% off. Couldn't find valid command at position 2")]
    [InlineData("%protocol%", "p: Incorrect configuration: %protocol%. Couldn't find valid command at position 0")]
    [InlineData("%REQ(a", "p: Incorrect configuration: %REQ(a. Couldn't find valid command at position 0")]
    public void InvalidFormatsAreConfigErrors(string format, string message)
    {
        var e = Assert.Throws<ConfigException>(() => SubstitutionFormatter.Parse(format, "p"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ParameterRunsToTheFirstCloseParenFollowedByPercent()
    {
        var request = new HeaderDictionary { ["a)b"] = "odd" };

        Assert.Equal("odd", Format("%REQ(a)b)%", TestStreams.Context(request: request)));
    }

    [Fact]
    public void KnownButUnrecordedOperatorsRenderMissing()
    {
        Assert.Equal("- - -", Format("%DYNAMIC_METADATA(envoy.lb:canary)% %DOWNSTREAM_TLS_VERSION% %FILTER_STATE(k:PLAIN)%"));
    }

    [Fact]
    public void FormatAppendsToAStringBuilder()
    {
        var output = new System.Text.StringBuilder("> ");
        SubstitutionFormatter.Parse("%RESPONSE_CODE% %BYTES_RECEIVED%", "f").Format(TestStreams.Context(), output);

        Assert.Equal("> 204 154", output.ToString());
    }

    [Fact]
    public void FormattingTheDefaultLineAllocatesNothing()
    {
        var formatter = AccessLogFormats.DefaultFormatter;
        var context = TestStreams.Context();
        var output = new System.Text.StringBuilder(1024);
        formatter.Format(context, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            output.Clear();
            formatter.Format(context, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
