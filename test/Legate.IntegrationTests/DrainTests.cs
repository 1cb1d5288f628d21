using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>SIGTERM on the real process: stop accepting, finish in-flight requests, exit 0.</summary>
[Trait("Category", "Executable")]
public sealed class DrainTests
{
    [Fact]
    public async Task Sigterm_lets_the_in_flight_request_finish_refuses_new_connections_and_exits_0()
    {
        await using var upstream = await TestUpstream.StartAsync("slow");
        using var dir = new TempDir();
        var port = Ports.ReserveAndRelease();
        var path = dir.Write("drain.yaml", ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("slow"),
            [ConfigYaml.StaticCluster("slow", upstream.Port)],
            port: port));
        await using var legate = LegateProcess.Start("-c", path, "--drain-time-s", "5", "-l", "info");
        Assert.True(await Ports.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => legate.HasExited), "never listened\n" + legate.Stderr);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var inFlight = client.GetAsync("http://127.0.0.1:" + port + "/hold");
        Assert.True(await Eventually.TrueAsync(() => upstream.HeldNow == 1), "the request never reached the upstream");

        legate.SendSigterm();
        // While the request is still held, the listener stops accepting new connections.
        var refused = await Eventually.TrueAsync(async () => !await Ports.AcceptsConnectionsAsync(port), TimeSpan.FromSeconds(4));
        Assert.False(legate.HasExited, "exited before the in-flight request finished\n" + legate.Stderr);
        Assert.False(inFlight.IsCompleted, "the in-flight request ended early");
        upstream.ReleaseHeld();
        using var response = await inFlight;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slow", (await EchoReply.ReadAsync(response)).Upstream);
        Assert.True(refused, "new connections were still accepted while draining");
        Assert.Equal(0, await legate.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.False(await Ports.AcceptsConnectionsAsync(port));
    }
}
