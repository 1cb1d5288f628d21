using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>What Legate's HTTP/1.1 client sends upstream: request line, headers, body framing; and the stream idle timeout.</summary>
public sealed class Http1RequestForwardingTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task Post_with_content_length_arrives_whole_with_the_same_length()
    {
        var body = Http1ResponseFramingTests.Payload(1024 * 1024, seed: 3);
        var seen = new ConcurrentQueue<RawRequest>();
        await using var upstream = Recording(seen);
        await using var legate = await Http1Legate.StartAsync(upstream.Port);

        using var response = await legate.CreateClient().PostAsync("/upload?x=1", new ByteArrayContent(body)).WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(seen);
        Assert.Equal("POST /upload?x=1 HTTP/1.1", request.Method + " " + request.Target + " " + request.Version);
        Assert.Equal("1048576", request.Header("content-length"));
        Assert.Null(request.Header("transfer-encoding"));
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(request.Body));
        upstream.AssertNoFaults();
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Post_of_unknown_length_goes_upstream_chunked_and_arrives_whole(string version)
    {
        var body = Http1ResponseFramingTests.Payload(300_001, seed: 4);
        var seen = new ConcurrentQueue<RawRequest>();
        await using var upstream = Recording(seen);
        await using var legate = await Http1Legate.StartAsync(upstream.Port);

        using var response = await legate.CreateClient(Version.Parse(version)).PostAsync("/stream", new UnknownLengthContent(body)).WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(seen);
        Assert.Equal("POST /stream HTTP/1.1", request.Method + " " + request.Target + " " + request.Version);
        Assert.Equal("chunked", request.Header("transfer-encoding"));
        Assert.Null(request.Header("content-length"));
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(request.Body));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Header_names_arrive_lower_case_without_hop_by_hop_headers_and_with_the_downstream_host()
    {
        var seen = new ConcurrentQueue<RawRequest>();
        await using var upstream = Recording(seen);
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/h");
        request.Headers.Host = "Downstream.Example:8443";
        request.Headers.Connection.Add("keep-alive");
        request.Headers.Connection.Add("x-foo");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("gzip"));
        request.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("X-Custom-Name", "Mixed Value");

        using var response = await legate.CreateClient().SendAsync(request).WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var arrived = Assert.Single(seen);
        Assert.Equal("host", arrived.Headers[0].Key);
        Assert.Equal("Downstream.Example:8443", arrived.Headers[0].Value);
        Assert.All(arrived.Headers, h => Assert.Equal(h.Key.ToLowerInvariant(), h.Key));
        Assert.Equal("Mixed Value", arrived.Header("x-custom-name"));
        foreach (var dropped in new[] { "connection", "te", "proxy-connection", "keep-alive", "transfer-encoding", "content-length" })
        {
            Assert.Null(arrived.Header(dropped));
        }
        Assert.Single(arrived.Headers, h => h.Key == "host");
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Stream_idle_timeout_on_a_silent_upstream_is_a_408_stream_timeout()
    {
        var upstreamSawClose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            // Never answers; the proxy has to give up and close (or reset) the connection.
            await c.WaitForCloseAsync();
            upstreamSawClose.TrySetResult();
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port, routeExtra: "idle_timeout: 0.3s");
        var started = Stopwatch.GetTimestamp();

        using var response = await legate.CreateClient().GetAsync("/silent").WaitAsync(s_timeout);

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("stream timeout", await response.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        // Well before the 15 s route timeout.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        await legate.AssertCounterAsync("http.ingress_http.downstream_rq_idle_timeout", 1);
        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_rq_timeout"), 0);
        await upstreamSawClose.Task.WaitAsync(s_timeout);
        upstream.AssertNoFaults();
    }

    private static RawUpstream Recording(ConcurrentQueue<RawRequest> seen) => RawUpstream.Start(async c =>
    {
        while (await c.ReadRequestAsync() is { } request)
        {
            seen.Enqueue(request);
            await c.SendAsync(Ok);
        }
    });

    /// <summary>A body HttpClient cannot know the length of (sent chunked on HTTP/1.1, without content-length on HTTP/2).</summary>
    private sealed class UnknownLengthContent(byte[] data) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < data.Length; offset += 7_777)
            {
                await stream.WriteAsync(data.AsMemory(offset, Math.Min(7_777, data.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
