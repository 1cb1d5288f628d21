using Grpc.Core;
using Grpc.Net.Client;
using Legate.IntegrationTests.EchoProto;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>gRPC through the proxy: h2c downstream, h2c upstream, streaming bodies and trailers.</summary>
public sealed class GrpcTests
{
    [Fact]
    public async Task Unary_call_returns_message_and_trailers()
    {
        await using var upstream = await TestUpstream.StartAsync("grpc", UpstreamProtocol.Http2, grpc: true);
        await using var legate = await StartProxyAsync(upstream.Port);
        using var channel = CreateChannel(legate);
        var client = new Echo.EchoClient(channel);

        using var call = client.SayAsync(new GrpcRequest { Text = "hello" });
        var reply = await call.ResponseAsync;

        Assert.Equal("hello", reply.Text);
        Assert.Equal("grpc", reply.Upstream);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("said", call.GetTrailers().GetValue("x-echo-trailer"));
        var headers = await call.ResponseHeadersAsync;
        Assert.Equal("envoy", headers.GetValue("server"));
    }

    [Fact]
    public async Task Server_streaming_and_bidi_calls_stream_every_message_then_trailers()
    {
        await using var upstream = await TestUpstream.StartAsync("grpc", UpstreamProtocol.Http2, grpc: true);
        await using var legate = await StartProxyAsync(upstream.Port);
        using var channel = CreateChannel(legate);
        var client = new Echo.EchoClient(channel);

        using var count = client.Count(new CountRequest { N = 50 });
        var received = new List<string>();
        await foreach (var message in count.ResponseStream.ReadAllAsync())
        {
            received.Add(message.Text);
        }
        Assert.Equal(Enumerable.Range(1, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received);
        Assert.Equal(StatusCode.OK, count.GetStatus().StatusCode);
        Assert.Equal("counted", count.GetTrailers().GetValue("x-echo-trailer"));

        using var chat = client.Chat();
        for (var i = 0; i < 3; i++)
        {
            // Each reply must come back before the next request: proves the proxy streams both ways.
            await chat.RequestStream.WriteAsync(new GrpcRequest { Text = "m" + i });
            Assert.True(await chat.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("re:m" + i, chat.ResponseStream.Current.Text);
        }
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, chat.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Local_replies_to_grpc_calls_are_trailers_only_with_grpc_status()
    {
        var deadPort = Ports.ReserveAndRelease();
        var virtualHosts = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/legate.integration.echo.Echo/Say" }
                route: { cluster: dead }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(virtualHosts, [ConfigYaml.StaticCluster("dead", deadPort)]));
        using var channel = CreateChannel(legate);
        var client = new Echo.EchoClient(channel);

        var unavailable = await Assert.ThrowsAsync<RpcException>(async () => await client.SayAsync(new GrpcRequest { Text = "x" }));
        var noRoute = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.Count(new CountRequest { N = 1 });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        Assert.StartsWith("upstream connect error or disconnect/reset before headers.", unavailable.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unimplemented, noRoute.StatusCode);
    }

    private static Task<LegateHost> StartProxyAsync(int upstreamPort) =>
        LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("grpc_upstream"),
            [ConfigYaml.StaticCluster("grpc_upstream", upstreamPort, ConfigYaml.H2ProtocolOptions)]));

    private static GrpcChannel CreateChannel(LegateHost legate) =>
        GrpcChannel.ForAddress(legate.BaseUri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { UseProxy = false },
            DisposeHttpClient = true,
        });
}
