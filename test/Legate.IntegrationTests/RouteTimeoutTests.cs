using System.Net;
using System.Text.Json;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>The route timeout runs from the end of the downstream request, as in Envoy, not from the start of forwarding.</summary>
public sealed class RouteTimeoutTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_body_sent_for_longer_than_the_route_timeout_is_not_cut_off(int httpVersion)
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        // After the body, the upstream has the whole second to answer: ample even on a loaded CI machine.
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(Routes("1s"), [ConfigYaml.StaticCluster("echo", upstream.Port)]));
        using var content = new PacedContent(TimeSpan.FromMilliseconds(2500));

        using var response = await legate.CreateClient(httpVersion == 2 ? HttpVersion.Version20 : HttpVersion.Version11).PostAsync("/upload", content).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = JsonSerializer.Deserialize<EchoReply>(await response.Content.ReadAsStringAsync(), EchoReply.JsonOptions)!;
        Assert.Equal("first,second", reply.Body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Once_the_body_is_complete_the_route_timeout_still_ends_a_silent_upstream(int httpVersion)
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(Routes("0.4s"), [ConfigYaml.StaticCluster("echo", upstream.Port)]));

        using var response = await legate.CreateClient(httpVersion == 2 ? HttpVersion.Version20 : HttpVersion.Version11).PostAsync("/never", new StringContent("payload")).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, legate.Counter("cluster.echo.upstream_rq_timeout"));
    }

    [Fact]
    public async Task With_max_stream_duration_set_both_run_from_the_start()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var hcm = "common_http_protocol_options: { max_stream_duration: 5s }\n";
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(Routes("1s"), [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: hcm));
        using var content = new PacedContent(TimeSpan.FromMilliseconds(2500));

        using var response = await legate.CreateClient().PostAsync("/upload", content).WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    private static string Routes(string timeout) =>
        "- name: all\n  domains: [\"*\"]\n  routes:\n  - match: { prefix: \"/\" }\n    route: { cluster: echo, timeout: " + timeout + " }\n";

    /// <summary>A body of unknown length whose second half follows the first after <paramref name="pause"/>: a slow client.</summary>
    private sealed class PacedContent(TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("first,"u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(pause, cancellationToken);
            await stream.WriteAsync("second"u8.ToArray(), cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
