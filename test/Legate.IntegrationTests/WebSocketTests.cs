using System.Net.WebSockets;
using System.Text;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>HTTP/1.1 upgrades through the HCM: allowed with upgrade_configs, 403 without.</summary>
public sealed class WebSocketTests
{
    [Fact]
    public async Task Websocket_echo_through_the_proxy_when_upgrade_is_configured()
    {
        await using var upstream = await TestUpstream.StartAsync("ws");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("ws_upstream"),
            [ConfigYaml.StaticCluster("ws_upstream", upstream.Port)],
            hcmExtra: "upgrade_configs: [{ upgrade_type: websocket }]"));
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await socket.ConnectAsync(new Uri("ws://127.0.0.1:" + legate.Port + "/ws"), timeout.Token);
        foreach (var text in new[] { "hello", "legate", new string('x', 3000) })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
            Assert.Equal(text, await ReceiveTextAsync(socket, timeout.Token));
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal("websocket", upstream.Seen.Single(r => r.Path == "/ws").Header("upgrade")?.ToLowerInvariant());
    }

    [Fact]
    public async Task Websocket_upgrade_without_upgrade_configs_gets_403_and_never_reaches_upstream()
    {
        await using var upstream = await TestUpstream.StartAsync("ws");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("ws_upstream"),
            [ConfigYaml.StaticCluster("ws_upstream", upstream.Port)]));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri("ws://127.0.0.1:" + legate.Port + "/ws"), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Equal(0, upstream.Requests);
        // A plain request on the same route still works: only the upgrade is refused.
        using var plain = await legate.CreateClient().GetAsync("/ws");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal(1, upstream.Requests);
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var total = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(total), ct);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            total += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
    }
}
