using System.Net;
using Legate.Config;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>Envoy's local replies (codes and exact bodies) and route header rules, against one shared proxy.</summary>
public sealed class LocalReplyTests(LocalReplyTests.Proxy proxy) : IClassFixture<LocalReplyTests.Proxy>
{
    private const string ConnectErrorPrefix = "upstream connect error or disconnect/reset before headers. reset reason:";

    [Fact]
    public async Task Path_without_route_gets_404_with_empty_body()
    {
        using var response = await proxy.Client.GetAsync("/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal("envoy", string.Join(",", response.Headers.GetValues("server")));
    }

    [Fact]
    public async Task Endpoint_with_nothing_listening_gets_503_upstream_connect_error()
    {
        using var response = await proxy.Client.GetAsync("/dead");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith(ConnectErrorPrefix, body, StringComparison.Ordinal);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Route_timeout_against_a_silent_upstream_gets_504()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await proxy.Client.GetAsync("/never");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Direct_response_returns_configured_status_and_body()
    {
        using var response = await proxy.Client.GetAsync("/direct");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("short and stout", await response.Content.ReadAsStringAsync());
        Assert.Equal("envoy", string.Join(",", response.Headers.GetValues("server")));
    }

    [Fact]
    public async Task Https_redirect_gets_301_with_location()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/redirect/here?x=1");
        request.Headers.Host = "example.test";
        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://example.test/redirect/here?x=1", response.Headers.Location?.OriginalString);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Prefix_rewrite_reaches_upstream_with_new_path_and_original_path_header()
    {
        using var response = await proxy.Client.GetAsync("/old/thing?y=2");
        var echo = await EchoReply.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/new/thing?y=2", echo.Path);
        Assert.Equal("/old/thing?y=2", echo.Header("x-envoy-original-path"));
    }

    [Fact]
    public async Task Route_header_additions_reach_upstream_and_client()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("x-from-client", "c");
        using var response = await proxy.Client.SendAsync(request);
        var echo = await EchoReply.ReadAsync(response);

        Assert.Equal("route-value", echo.Header("x-route-added"));
        Assert.Equal("vhost-value", echo.Header("x-vhost-added"));
        Assert.Equal("c", echo.Header("x-from-client"));
        Assert.Equal("resp-value", string.Join(",", response.Headers.GetValues("x-resp-added")));
        Assert.Equal("echo", echo.Upstream);
        // The upstream answered with its own server header; Envoy's default OVERWRITE replaces it.
        Assert.Equal("envoy", string.Join(",", response.Headers.GetValues("server")));
    }

    [Fact]
    public async Task Route_to_unknown_cluster_is_a_config_error_naming_the_field()
    {
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("nope"), [ConfigYaml.StaticCluster("real", proxy.Upstream.Port)]);

        var error = await Assert.ThrowsAsync<ConfigException>(async () => await (await LegateHost.StartAsync(yaml)).DisposeAsync());

        Assert.StartsWith("static_resources.listeners[0].", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("route.cluster: unknown cluster 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_to_unknown_cluster_without_validate_clusters_gets_503_with_empty_body()
    {
        var yaml = ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("nope"),
            [ConfigYaml.StaticCluster("real", proxy.Upstream.Port)],
            routeConfigExtra: "validate_clusters: false");
        await using var legate = await LegateHost.StartAsync(yaml);

        using var response = await legate.CreateClient().GetAsync("/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    /// <summary>One proxy for the class: an echo upstream and a cluster on a port with nothing listening.</summary>
    public sealed class Proxy : EchoProxyFixture
    {
        protected override Task<LegateHost> StartLegateAsync(TestUpstream upstream)
        {
            var deadPort = Ports.ReserveAndRelease();
            var virtualHosts = """
                - name: all
                  domains: ["*"]
                  request_headers_to_add:
                  - header: { key: x-vhost-added, value: vhost-value }
                  routes:
                  - match: { prefix: "/dead" }
                    route: { cluster: dead }
                  - match: { prefix: "/never" }
                    route: { cluster: echo, timeout: 0.2s }
                  - match: { path: "/direct" }
                    direct_response: { status: 418, body: { inline_string: "short and stout" } }
                  - match: { prefix: "/redirect/" }
                    redirect: { https_redirect: true }
                  - match: { prefix: "/old/" }
                    route: { cluster: echo, prefix_rewrite: "/new/" }
                  - match: { path: "/headers" }
                    route: { cluster: echo }
                    request_headers_to_add:
                    - header: { key: x-route-added, value: route-value }
                    response_headers_to_add:
                    - header: { key: x-resp-added, value: resp-value }
                """;
            return LegateHost.StartAsync(ConfigYaml.Bootstrap(
                virtualHosts,
                [ConfigYaml.StaticCluster("echo", upstream.Port), ConfigYaml.StaticCluster("dead", deadPort)]));
        }
    }
}
