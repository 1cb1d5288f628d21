using System.Net.Sockets;
using System.Text;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Listeners;

/// <summary>
/// The listener peeks at each connection's first bytes to pick its I/O scheduling; whatever the peek sees
/// (or does not see in time), the connection must be served as its own bytes say.
/// </summary>
public sealed class ConnectionSchedulingTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private TestUpstream _upstream = null!;
    private LegateHost _legate = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync("up");
        _legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("up"), [ConfigYaml.StaticCluster("up", _upstream.Port)]));
    }

    public async Task DisposeAsync()
    {
        await _legate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task A_request_sent_after_the_peek_gave_up_is_served()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _legate.Port).WaitAsync(s_timeout);
        var stream = client.GetStream();
        // Silent past the listener's 1 s peek timeout, then a request: it falls back to HTTP/1 scheduling.
        await WaitPastPeekTimeoutAsync();
        await stream.WriteAsync("GET /late HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray()).AsTask().WaitAsync(s_timeout);

        var reply = await ReadToEndAsync(stream);

        Assert.StartsWith("HTTP/1.1 200", reply);
        Assert.Equal(1, _upstream.Requests);
    }

    [Fact]
    public async Task A_request_split_byte_by_byte_is_served()
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", _legate.Port).WaitAsync(s_timeout);
        var stream = client.GetStream();
        // "PR" could still become the HTTP/2 preface when the listener peeks: it must not matter.
        foreach (var b in "GET /split HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray())
        {
            await stream.WriteAsync(new[] { b }).AsTask().WaitAsync(s_timeout);
        }

        var reply = await ReadToEndAsync(stream);

        Assert.StartsWith("HTTP/1.1 200", reply);
    }

    [Fact]
    public async Task Connections_closed_before_a_byte_are_counted_and_the_listener_keeps_accepting()
    {
        for (var i = 0; i < 5; i++)
        {
            using var silent = new TcpClient();
            await silent.ConnectAsync("127.0.0.1", _legate.Port).WaitAsync(s_timeout);
        }

        using var response = await _legate.CreateClient().GetAsync("/after").WaitAsync(s_timeout);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => _legate.Counter("listener.127.0.0.1_0.downstream_cx_total") >= 6, s_timeout),
            _legate.NonZeroCounters());
    }

    private static async Task WaitPastPeekTimeoutAsync()
    {
        // A timer, not a synchronisation: the listener has no event to wait on for "nothing arrived".
        await Task.Delay(TimeSpan.FromMilliseconds(1300));
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).WaitAsync(s_timeout);
        return Encoding.ASCII.GetString(buffer.ToArray());
    }
}
