using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>Envoy's stream-level timers: route idle_timeout / stream_idle_timeout and HCM max_stream_duration.</summary>
public sealed class StreamTimeoutTests
{
    [Fact]
    public async Task Route_idle_timeout_before_response_headers_gets_408_stream_timeout()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var virtualHosts = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/" }
                route: { cluster: echo, timeout: 0s, idle_timeout: 0.3s }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(virtualHosts, [ConfigYaml.StaticCluster("echo", upstream.Port)]));

        using var response = await legate.CreateClient().GetAsync("/never");

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("stream timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, legate.Server.Stats.Counter("http.ingress_http.downstream_rq_idle_timeout").Value);
    }

    [Fact]
    public async Task Max_stream_duration_gets_408_downstream_duration_timeout()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var hcm = """
            common_http_protocol_options: { max_stream_duration: 0.3s }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: hcm));

        using var response = await legate.CreateClient().GetAsync("/never");

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("downstream duration timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, legate.Server.Stats.Counter("http.ingress_http.downstream_rq_max_duration_reached").Value);
    }
}
