using System.Diagnostics;
using System.Net;
using Legate.Formatting;
using Legate.Http;
using Microsoft.AspNetCore.Http;

namespace Legate.Tests.Formatting;

/// <summary>The stream from Envoy's access-log documentation example, as a <see cref="FormatContext"/>.</summary>
internal static class TestStreams
{
    public const long StartTimestamp = 1_000_000;

    public static long AfterStart(int milliseconds) => StartTimestamp + Stopwatch.Frequency * milliseconds / 1000;

    public static StreamInfo Info() => new()
    {
        StartTime = new DateTimeOffset(2016, 4, 15, 20, 17, 0, 310, TimeSpan.Zero),
        StartTimestamp = StartTimestamp,
        CompleteTimestamp = AfterStart(226),
        Protocol = "HTTP/2",
        ResponseCode = 204,
        BytesReceived = 154,
        BytesSent = 0,
        UpstreamHost = "10.0.2.1:80",
        UpstreamClusterName = "locations_cluster",
        DownstreamRemoteAddress = new IPEndPoint(IPAddress.Parse("10.0.35.28"), 51000),
        DownstreamLocalAddress = new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.1"), 10000),
        DownstreamDirectRemoteAddress = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443),
    };

    public static HeaderDictionary RequestHeaders() => new()
    {
        ["x-forwarded-for"] = "10.0.35.28",
        ["user-agent"] = "nsq2http",
        ["x-request-id"] = "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2",
    };

    public static FormatContext Context(StreamInfo? info = null, IHeaderDictionary? request = null, IHeaderDictionary? response = null,
        IHeaderDictionary? trailers = null) =>
        new(info ?? Info(), request ?? RequestHeaders(), response ?? new HeaderDictionary { ["x-envoy-upstream-service-time"] = "100" }, trailers)
        {
            Request = new RequestLine("POST", "/api/v1/locations", "locations", "https"),
        };
}
