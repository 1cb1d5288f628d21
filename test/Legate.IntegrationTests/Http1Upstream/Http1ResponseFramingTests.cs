using System.Globalization;
using System.Net;
using System.Text;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>Upstream HTTP/1.1 response framing and failures through Legate's own HTTP/1.1 client, byte by byte from a raw upstream.</summary>
public sealed class Http1ResponseFramingTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private const string BeforeHeaders = "upstream connect error or disconnect/reset before headers. reset reason: ";

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Chunked_response_reaches_the_downstream_intact(string version)
    {
        var body = Payload(150_000, seed: 1);
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            // The head in two writes, then chunks of awkward sizes (one with an extension, upper-case hex) and a trailer.
            await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Enc");
            await c.SendAsync("oding: chunked\r\nX-Up: yes\r\n\r\n");
            var offset = 0;
            foreach (var size in new[] { 1, 15, 4096, 70_000, 16_384 })
            {
                await SendChunkAsync(c, body.AsMemory(offset, size), size == 15 ? ";name=value" : "");
                offset += size;
            }
            await SendChunkAsync(c, body.AsMemory(offset), "");
            await c.SendAsync("0\r\nX-Trailer: t\r\n\r\n");
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);

        using var response = await legate.CreateClient(Version.Parse(version)).GetAsync("/chunked").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.Equal("yes", string.Join(",", response.Headers.GetValues("x-up")));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync().WaitAsync(s_timeout));
        upstream.AssertNoFaults();
    }

    [Theory]
    [InlineData("1.1", false)]
    [InlineData("1.1", true)]
    [InlineData("2.0", false)]
    [InlineData("2.0", true)]
    public async Task Content_length_body_longer_than_the_first_read_is_delivered_whole(string version, bool restLater)
    {
        // Longer than the connection's 16 KiB receive buffer: the rest is taken at once when it came with the head,
        // or after the head and the first part went downstream when it comes later.
        var body = Payload(40_000, seed: 4);
        var head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 40000\r\n\r\n";
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            var whole = Encoding.ASCII.GetBytes(head).Concat(body).ToArray();
            var split = restLater ? 17_000 : whole.Length;
            await c.SendAsync(whole.AsMemory(0, split));
            if (restLater)
            {
                await c.SendAsync(whole.AsMemory(split));
            }
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);

        using var response = await legate.CreateClient(Version.Parse(version)).GetAsync("/long").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync().WaitAsync(s_timeout));
        upstream.AssertNoFaults();
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK")]
    [InlineData("HTTP/1.0 200 OK")]
    public async Task Response_ended_by_the_upstream_closing_is_delivered_whole(string statusLine)
    {
        var body = Payload(100_000, seed: 2);
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync(statusLine + "\r\nContent-Type: application/octet-stream\r\n\r\n");
            await c.SendAsync(body.AsMemory(0, 30_000));
            await c.SendAsync(body.AsMemory(30_000));
            c.Close();
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);

        using var response = await legate.CreateClient().GetAsync("/until-close").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync().WaitAsync(s_timeout));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Informational_responses_before_the_final_one_are_skipped()
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n");
            await c.SendAsync("HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone");
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);

        using var response = await legate.CreateClient().GetAsync("/info").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        Assert.False(response.Headers.Contains("link"));
        upstream.AssertNoFaults();
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab")]
    [InlineData("SPDY/3 200 OK\r\nContent-Length: 0\r\n\r\n")]
    public async Task Malformed_response_head_is_a_502_protocol_error(string response)
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync(response);
            await c.WaitForCloseAsync();
        });
        using var dir = new TempDir();
        var log = dir.File("access.log");
        await using var legate = await Http1Legate.StartAsync(upstream.Port, logPath: log);

        using var reply = await legate.CreateClient().GetAsync("/bad").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.BadGateway, reply.StatusCode);
        Assert.Equal(BeforeHeaders + "protocol error", await reply.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        Assert.Equal("502 UPE", await Http1Legate.LastLogLineAsync(log));
        Assert.Equal(1, upstream.Connections);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Upstream_closing_before_any_response_byte_is_a_503_connection_termination()
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            c.Close();
        });
        using var dir = new TempDir();
        var log = dir.File("access.log");
        await using var legate = await Http1Legate.StartAsync(upstream.Port, logPath: log);

        using var reply = await legate.CreateClient().GetAsync("/gone").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.StatusCode);
        Assert.Equal(BeforeHeaders + "connection termination", await reply.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        Assert.Equal("503 UC", await Http1Legate.LastLogLineAsync(log));
        // A fresh connection failing is not the stale-pooled-connection case: no second attempt.
        Assert.Equal(1, upstream.Connections);
        upstream.AssertNoFaults();
    }

    [Theory]
    [InlineData("Content-Length: 1000\r\n\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n3e8\r\n")]
    public async Task Upstream_closing_mid_body_fails_the_downstream_request(string framing)
    {
        // The head and the first 100 of 1000 body bytes arrive together, then the upstream closes.
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync("HTTP/1.1 200 OK\r\n" + framing + new string('x', 100));
            c.Close();
        });
        using var dir = new TempDir();
        var log = dir.File("access.log");
        await using var legate = await Http1Legate.StartAsync(upstream.Port, logPath: log);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => legate.CreateClient().GetAsync("/short").WaitAsync(s_timeout));

        // An HTTP/1.1 upstream closing mid-response is a connection termination (UC), not a stream reset (UR).
        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_cx_destroy_remote_with_active_rq"), 1);
        Assert.Equal("200 UC", await Http1Legate.LastLogLineAsync(log));
        upstream.AssertNoFaults();
    }

    private static Task SendChunkAsync(RawConnection c, ReadOnlyMemory<byte> data, string extension)
    {
        var frame = new List<byte>();
        frame.AddRange(Encoding.ASCII.GetBytes(data.Length.ToString("X", CultureInfo.InvariantCulture) + extension + "\r\n"));
        frame.AddRange(data.ToArray());
        frame.AddRange("\r\n"u8.ToArray());
        return c.SendAsync(frame.ToArray());
    }

    internal static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
