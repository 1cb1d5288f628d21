using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>
/// A local reply, direct response or redirect is sent before the router takes the request, so, as in Envoy, one to a
/// request whose body is still to come starts before the request ended: <c>downstream_rq_response_before_rq_complete</c>
/// counts it, and an HTTP/1 connection gets <c>connection: close</c> and is closed after it (the unread body would
/// otherwise be parsed as the next request). A request that ended with its headers keeps its connection.
/// </summary>
public sealed class LocalReplyBeforeBodyTests
{
    private const string Counter = "http.ingress_http.downstream_rq_response_before_rq_complete";

    private const string VirtualHosts = """
        - name: all
          domains: ["*"]
          routes:
          - match: { prefix: "/direct" }
            direct_response: { status: 200, body: { inline_string: "here" } }
          - match: { prefix: "/moved" }
            redirect: { path_redirect: "/elsewhere" }
          - match: { prefix: "/up" }
            route: { cluster: up }
        """;

    private const string PostStillSending = " HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100\r\n\r\nabc";

    // No upgrade_configs: the router refuses the upgrade (upgrade_failed) before the tunnel it asks for.
    private const string RefusedUpgrade = "GET /up HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    [Theory]
    [InlineData("POST /nowhere" + PostStillSending, 404)]
    [InlineData("POST /direct" + PostStillSending, 200)]
    [InlineData("POST /moved" + PostStillSending, 301)]
    [InlineData(RefusedUpgrade, 403)]
    public async Task A_reply_to_an_HTTP1_request_that_goes_on_after_its_headers_closes_the_connection_after_it(string request, int status)
    {
        await using var upstream = await TestUpstream.StartAsync("A");
        await using var legate = await StartAsync(upstream.Port);
        using var client = await RawDownstream.ConnectAsync(legate.Port);

        await RawDownstream.SendAsync(client, request);
        var response = await RawDownstream.ReadResponseAsync(client);

        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(await RawDownstream.ClosedAsync(client), "the connection stayed open with the rest of the request unread");
        await legate.AssertCounterAsync(Counter, 1);
    }

    [Fact]
    public async Task A_reply_to_a_request_that_ended_with_its_headers_keeps_the_connection()
    {
        await using var upstream = await TestUpstream.StartAsync("A");
        await using var legate = await StartAsync(upstream.Port);
        using var client = await RawDownstream.ConnectAsync(legate.Port);

        foreach (var request in new[] { "GET /nowhere", "POST /direct", "GET /direct" })
        {
            var length = request.StartsWith("POST", StringComparison.Ordinal) ? "Content-Length: 0\r\n" : string.Empty;
            await RawDownstream.SendAsync(client, request + " HTTP/1.1\r\nHost: example.com\r\n" + length + "\r\n");
            var response = await RawDownstream.ReadResponseAsync(client);
            Assert.Null(response.Header("connection"));
        }
        Assert.Equal(0, legate.Counter(Counter));
    }

    [Fact]
    public async Task A_forwarded_request_with_a_body_is_not_early()
    {
        await using var upstream = await TestUpstream.StartAsync("A");
        await using var legate = await StartAsync(upstream.Port);
        var client = legate.CreateClient();

        using var response = await client.PostAsync("/up", new StringContent("payload"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.ConnectionClose ?? false);
        Assert.Equal(0, legate.Counter(Counter));
    }

    [Fact]
    public async Task Over_HTTP2_the_early_reply_is_counted_and_the_connection_serves_on()
    {
        await using var upstream = await TestUpstream.StartAsync("A");
        await using var legate = await StartAsync(upstream.Port);
        var client = legate.CreateClient(HttpVersion.Version20);

        using var early = await client.PostAsync("/nowhere", new StringContent("payload"));
        using var after = await client.GetAsync("/up");

        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpVersion.Version20, after.Version);
        await legate.AssertCounterAsync(Counter, 1);
    }

    private static Task<LegateHost> StartAsync(int upstreamPort) =>
        LegateHost.StartAsync(ConfigYaml.Bootstrap(VirtualHosts, [ConfigYaml.StaticCluster("up", upstreamPort)]));
}
