using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>
/// A response that starts before the downstream request has ended closes an HTTP/1 connection after it, as in
/// Envoy (<c>connection: close</c>, <c>downstream_rq_response_before_rq_complete</c>); a complete request keeps it.
/// </summary>
public sealed class EarlyResponseTests
{
    private const string Counter = "http.ingress_http.downstream_rq_response_before_rq_complete";
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nearly";

    [Fact]
    public async Task An_upstream_that_answers_before_the_whole_body_closes_the_downstream_connection_after_the_response()
    {
        // Answers as soon as it has the head, then takes whatever else comes until the proxy closes.
        await using var upstream = RawUpstream.Start(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.SendAsync(Ok);
            await connection.WaitForCloseAsync();
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        using var client = await RawDownstream.ConnectAsync(legate.Port);

        await RawDownstream.SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100\r\n\r\nabc");
        var response = await RawDownstream.ReadResponseAsync(client);

        Assert.Equal(200, response.Status);
        Assert.Equal("early", response.Body);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(await RawDownstream.ClosedAsync(client), "the connection stayed open with the rest of the body unread");
        await legate.AssertCounterAsync(Counter, 1);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task A_complete_request_keeps_its_connection()
    {
        await using var upstream = RawUpstream.KeepAlive(Ok);
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        using var client = await RawDownstream.ConnectAsync(legate.Port);

        for (var i = 0; i < 2; i++)
        {
            await RawDownstream.SendAsync(client, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabc");
            var response = await RawDownstream.ReadResponseAsync(client);
            Assert.Equal(200, response.Status);
            Assert.Null(response.Header("connection"));
        }
        Assert.Equal(0, legate.Counter(Counter));
        upstream.AssertNoFaults();
    }
}
