using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>Response heads larger than the connection's first receive buffer, up to and past max_response_headers_kb.</summary>
public sealed class Http1LargeHeadTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_40_KiB_response_header_is_forwarded_whole()
    {
        var big = new string('v', 40 * 1024);
        await using var upstream = RawUpstream.KeepAlive("HTTP/1.1 200 OK\r\nx-big: " + big + "\r\nContent-Length: 2\r\n\r\nok");
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        var client = legate.CreateClient();

        using var reply = await client.GetAsync("/big").WaitAsync(s_timeout);
        // The same connection then carries a normal response: the grown buffer kept its bookkeeping.
        using var second = await client.GetAsync("/again").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal(big, Assert.Single(reply.Headers.GetValues("x-big")));
        Assert.Equal("ok", await reply.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, upstream.Connections);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task A_head_past_max_response_headers_kb_is_a_502_protocol_error()
    {
        // max_response_headers_kb: 8 (common_http_protocol_options); the upstream sends 20 KiB of headers.
        var options = Http1Legate.ProtocolOptions("max_response_headers_kb: 8");
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync("HTTP/1.1 200 OK\r\nx-big: " + new string('v', 20 * 1024) + "\r\nContent-Length: 2\r\n\r\nok");
            await c.WaitForCloseAsync();
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port, clusterExtra: options);

        using var reply = await legate.CreateClient().GetAsync("/too-big").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.BadGateway, reply.StatusCode);
        Assert.EndsWith("reset reason: protocol error", await reply.Content.ReadAsStringAsync().WaitAsync(s_timeout));
    }
}
