using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>Legate's HTTP/1.1 connection pool: keep-alive reuse, max_requests_per_connection, idle_timeout and stale pooled connections.</summary>
public sealed class Http1ConnectionReuseTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task Sequential_requests_reuse_one_keep_alive_connection()
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                // Alternate the framings: each must leave the connection at the next response's first byte.
                await c.SendAsync((c.Requests % 3) switch
                {
                    0 => Ok,
                    1 => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\no\r\n1;x=y\r\nk\r\n0\r\nX-T: 1\r\n\r\n",
                    _ => "HTTP/1.1 204 No Content\r\n\r\n",
                });
            }
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        var client = legate.CreateClient();

        for (var i = 1; i <= 10; i++)
        {
            using var response = await client.GetAsync("/r" + i).WaitAsync(s_timeout);
            var expected = i % 3 == 2 ? HttpStatusCode.NoContent : HttpStatusCode.OK;
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal(expected == HttpStatusCode.OK ? "ok" : "", await response.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        }

        Assert.Equal(1, upstream.Connections);
        Assert.Equal(1, legate.Counter(Http1Legate.Cx("upstream_cx_total")));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Max_requests_per_connection_opens_a_new_connection_every_third_request()
    {
        var perConnection = new ConcurrentDictionary<int, int>();
        var closedAfter = new ConcurrentQueue<int>();
        await using var upstream = RawUpstream.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                perConnection[c.Number] = c.Requests;
                await c.SendAsync(Ok);
            }
            closedAfter.Enqueue(c.Requests);
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port, clusterExtra: Http1Legate.ProtocolOptions("max_requests_per_connection: 3"));
        var client = legate.CreateClient();

        for (var i = 0; i < 7; i++)
        {
            using var response = await client.GetAsync("/m").WaitAsync(s_timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, upstream.Connections);
        Assert.Equal([3, 3, 1], perConnection.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal(3, legate.Counter(Http1Legate.Cx("upstream_cx_total")));
        // The proxy closes a used-up connection itself.
        Assert.True(await Eventually.TrueAsync(() => closedAfter.Count == 2, s_timeout), "closed: " + string.Join(",", closedAfter));
        Assert.Equal([3, 3], closedAfter);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Max_requests_per_connection_counts_upstream_cx_max_requests()
    {
        await using var upstream = RawUpstream.KeepAlive(Ok);
        await using var legate = await Http1Legate.StartAsync(upstream.Port, clusterExtra: Http1Legate.ProtocolOptions("max_requests_per_connection: 3"));
        var client = legate.CreateClient();

        for (var i = 0; i < 7; i++)
        {
            using var response = await client.GetAsync("/m").WaitAsync(s_timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Envoy counts each connection that reached its limit.
        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_cx_max_requests"), 2);
    }

    [Fact]
    public async Task Idle_timeout_closes_an_idle_pooled_connection_and_counts_it()
    {
        var closed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync(Ok);
            var answered = Stopwatch.GetTimestamp();
            await c.WaitForCloseAsync();
            closed.TrySetResult(Stopwatch.GetElapsedTime(answered));
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port, clusterExtra: Http1Legate.ProtocolOptions("idle_timeout: 0.2s"));

        using var response = await legate.CreateClient().GetAsync("/i").WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var idleFor = await closed.Task.WaitAsync(s_timeout);

        Assert.InRange(idleFor, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_cx_destroy"), 1);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Idle_timeout_counts_upstream_cx_idle_timeout()
    {
        await using var upstream = RawUpstream.KeepAlive(Ok);
        await using var legate = await Http1Legate.StartAsync(upstream.Port, clusterExtra: Http1Legate.ProtocolOptions("idle_timeout: 0.2s"));

        using var response = await legate.CreateClient().GetAsync("/i").WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_cx_destroy"), 1);
        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_cx_idle_timeout"), 1);
    }

    [Fact]
    public async Task Connection_close_response_is_not_reused()
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            Assert.NotNull(await c.ReadRequestAsync());
            await c.SendAsync("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            // The proxy must not send a second request here; it closes instead.
            Assert.Null(await c.ReadRequestAsync());
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        var client = legate.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/c").WaitAsync(s_timeout);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        }

        Assert.Equal(2, upstream.Connections);
        await legate.AssertCounterAsync(Http1Legate.Cx("upstream_cx_destroy"), 2);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Head_response_with_content_length_has_no_body_and_keeps_the_connection()
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                await c.SendAsync(request.Method == "HEAD" ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nget");
            }
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        var client = legate.CreateClient();

        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/h")).WaitAsync(s_timeout))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(5, head.Content.Headers.ContentLength);
        }
        using var get = await client.GetAsync("/g").WaitAsync(s_timeout);

        Assert.Equal("get", await get.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        Assert.Equal(1, upstream.Connections);
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Bytes_after_a_complete_response_are_never_taken_as_the_next_response()
    {
        await using var upstream = RawUpstream.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                // The first connection's first answer carries an unsolicited second response in the same write.
                await c.SendAsync(c.Number == 1 && c.Requests == 1
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsmug!"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nanswer");
            }
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        var client = legate.CreateClient();

        using (var first = await client.GetAsync("/1").WaitAsync(s_timeout))
        {
            Assert.Equal("first", await first.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        }
        using var second = await client.GetAsync("/2").WaitAsync(s_timeout);

        // Envoy's codec treats a response without a request as a protocol error and drops the connection.
        Assert.Equal("answer", await second.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        upstream.AssertNoFaults();
    }

    [Fact]
    public async Task Stale_pooled_connection_is_replaced_by_a_fresh_one()
    {
        var firstClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = RawUpstream.Start(async c =>
        {
            if (c.Number == 1)
            {
                // Keep-alive as far as the proxy can tell, then the upstream drops the idle connection.
                Assert.NotNull(await c.ReadRequestAsync());
                await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                c.Close();
                firstClosed.TrySetResult();
                return;
            }
            while (await c.ReadRequestAsync() is not null)
            {
                await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
            }
        });
        await using var legate = await Http1Legate.StartAsync(upstream.Port);
        var client = legate.CreateClient();

        using (var first = await client.GetAsync("/1").WaitAsync(s_timeout))
        {
            Assert.Equal("first", await first.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        }
        await firstClosed.Task.WaitAsync(s_timeout);
        // The first connection is back in the pool once the router's attempt has ended.
        Assert.True(await Eventually.TrueAsync(() => legate.Server.Stats.Gauge(Http1Legate.Cx("upstream_rq_active")).Value == 0, s_timeout));

        using var second = await client.GetAsync("/2").WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("second", await second.Content.ReadAsStringAsync().WaitAsync(s_timeout));
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(2, legate.Counter(Http1Legate.Cx("upstream_cx_total")));
        upstream.AssertNoFaults();
    }
}
