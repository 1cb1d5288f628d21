using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>One AUTO listener serving HTTP/1.1 and h2c prior knowledge, towards HTTP/1.1 and h2c upstreams.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private TestUpstream _h1 = null!;
    private TestUpstream _h2 = null!;
    private LegateHost _legate = null!;

    public async Task InitializeAsync()
    {
        _h1 = await TestUpstream.StartAsync("h1", UpstreamProtocol.Http1);
        _h2 = await TestUpstream.StartAsync("h2", UpstreamProtocol.Http2);
        var virtualHosts = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/to-h2/" }
                route: { cluster: h2c_upstream }
              - match: { prefix: "/" }
                route: { cluster: h1_upstream }
            """;
        _legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            virtualHosts,
            [
                ConfigYaml.StaticCluster("h1_upstream", _h1.Port),
                ConfigYaml.StaticCluster("h2c_upstream", _h2.Port, ConfigYaml.H2ProtocolOptions),
            ]));
    }

    public async Task DisposeAsync()
    {
        await _legate.DisposeAsync();
        await _h1.DisposeAsync();
        await _h2.DisposeAsync();
    }

    [Fact]
    public async Task Http1_client_reaches_h2c_upstream()
    {
        var client = _legate.CreateClient(HttpVersion.Version11);

        using var response = await client.GetAsync("/to-h2/x?q=1");
        var echo = await EchoReply.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("h2", echo.Upstream);
        Assert.Equal("HTTP/2", echo.Protocol);
        Assert.Equal("/to-h2/x?q=1", echo.Path);
        Assert.Equal("GET", echo.Method);
    }

    [Fact]
    public async Task Http2_prior_knowledge_client_reaches_http1_upstream()
    {
        var client = _legate.CreateClient(HttpVersion.Version20);

        using var response = await client.PostAsync("/plain", new StringContent("ping"));
        var echo = await EchoReply.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("h1", echo.Upstream);
        Assert.Equal("HTTP/1.1", echo.Protocol);
        Assert.Equal("POST", echo.Method);
        Assert.Equal("ping", echo.Body);
        Assert.Equal("envoy", string.Join(",", response.Headers.GetValues("server")));
    }

    [Fact]
    public async Task Http2_client_reaches_h2c_upstream_and_both_protocols_share_the_port()
    {
        var h2 = _legate.CreateClient(HttpVersion.Version20);
        var h1 = _legate.CreateClient(HttpVersion.Version11);

        using var viaH2 = await h2.GetAsync("/to-h2/both");
        using var viaH1 = await h1.GetAsync("/both");

        Assert.Equal(HttpVersion.Version20, viaH2.Version);
        Assert.Equal("HTTP/2", (await EchoReply.ReadAsync(viaH2)).Protocol);
        Assert.Equal(HttpVersion.Version11, viaH1.Version);
        Assert.Equal("h1", (await EchoReply.ReadAsync(viaH1)).Upstream);
    }

    [Fact]
    public async Task Curl_prior_knowledge_and_plain_http1_on_the_same_port()
    {
        if (!Curl.Available)
        {
            return;
        }
        var url = _legate.BaseUri + "to-h2/curl";

        var h2 = await Curl.RunAsync("--http2-prior-knowledge", url);
        var h1 = await Curl.RunAsync("--http1.1", url);

        Assert.Equal("2", h2.HttpVersion);
        Assert.Equal(200, h2.Status);
        Assert.Contains("\"upstream\":\"h2\"", h2.Body, StringComparison.Ordinal);
        Assert.Equal("1.1", h1.HttpVersion);
        Assert.Equal(200, h1.Status);
        Assert.Contains("\"protocol\":\"HTTP/2\"", h1.Body, StringComparison.Ordinal);
    }
}
