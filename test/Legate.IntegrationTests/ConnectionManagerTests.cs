using System.Net;
using System.Net.Sockets;
using Legate.Config;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>HTTP connection manager options: request header rules, server header, limits, optional filters, IPv6.</summary>
public sealed class ConnectionManagerTests
{
    [Fact]
    public async Task Use_remote_address_appends_xff_sets_proto_and_strips_external_envoy_headers()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var hcm = """
            use_remote_address: true
            via: legate-test
            server_name: edge-proxy
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: hcm));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/xff");
        request.Headers.Add("x-forwarded-for", "203.0.113.7");
        request.Headers.Add("x-envoy-retry-on", "5xx");
        request.Headers.Add("x-envoy-upstream-rq-timeout-ms", "1");

        using var response = await legate.CreateClient().SendAsync(request);
        var echo = await EchoReply.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("edge-proxy", string.Join(",", response.Headers.GetValues("server")));
        Assert.Equal("203.0.113.7, 127.0.0.1", echo.Header("x-forwarded-for"));
        Assert.Equal("http", echo.Header("x-forwarded-proto"));
        Assert.Equal("legate-test", echo.Header("via"));
        Assert.Null(echo.Header("x-envoy-retry-on"));
        Assert.Null(echo.Header("x-envoy-internal"));
        Assert.Equal("127.0.0.1", echo.Header("x-envoy-external-address"));
        Assert.Equal("15000", echo.Header("x-envoy-expected-rq-timeout-ms"));
    }

    [Fact]
    public async Task Internal_peer_without_xff_is_marked_internal_and_request_id_is_preserved()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: "use_remote_address: true\n"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal");
        request.Headers.Add("x-request-id", "my-request-id");

        using var response = await legate.CreateClient().SendAsync(request);
        var echo = await EchoReply.ReadAsync(response);

        Assert.Equal("true", echo.Header("x-envoy-internal"));
        Assert.Equal("my-request-id", echo.Header("x-request-id"));
        Assert.Equal("127.0.0.1", echo.Header("x-forwarded-for"));
    }

    [Fact]
    public async Task Forwarding_headers_sent_in_any_case_are_kept_or_stripped_and_the_scheme_routes()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        // Without use_remote_address the downstream's x-forwarded-proto stands, and routing sees it as :scheme.
        var routes = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/", headers: [{ name: ":scheme", string_match: { exact: "https" } }] }
                route: { cluster: echo }
                response_headers_to_add: [{ header: { key: x-matched, value: https } }]
              - match: { prefix: "/" }
                route: { cluster: echo }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(routes, [ConfigYaml.StaticCluster("echo", upstream.Port)]));
        var client = legate.CreateClient();

        using var carried = new HttpRequestMessage(HttpMethod.Get, "/carried");
        carried.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        carried.Headers.TryAddWithoutValidation("X-Request-Id", "from-client");
        carried.Headers.TryAddWithoutValidation("X-Forwarded-Client-Cert", "By=spiffe://x");
        carried.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        using var withHeaders = await client.SendAsync(carried);
        var echo = await EchoReply.ReadAsync(withHeaders);

        Assert.Equal("https", echo.Header("x-forwarded-proto"));
        Assert.Equal("from-client", echo.Header("x-request-id"));
        Assert.Null(echo.Header("x-forwarded-client-cert"));
        Assert.Null(echo.Header("proxy-connection"));
        Assert.Equal("https", string.Join(",", withHeaders.Headers.GetValues("x-matched")));

        using var bare = await client.GetAsync("/bare");
        var bareEcho = await EchoReply.ReadAsync(bare);

        Assert.Equal("http", bareEcho.Header("x-forwarded-proto"));
        Assert.True(Guid.TryParseExact(bareEcho.Header("x-request-id"), "D", out _), bareEcho.Header("x-request-id"));
        Assert.False(bare.Headers.Contains("x-matched"));
    }

    [Fact]
    public async Task Hop_by_hop_request_headers_are_removed_before_routing_and_not_forwarded()
    {
        if (!Curl.Available)
        {
            return;
        }
        await using var upstream = await TestUpstream.StartAsync("echo");
        // Envoy strips them before routing: a route matching on one of them never sees it.
        var routes = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/", headers: [{ name: "keep-alive", present_match: true }] }
                direct_response: { status: 418 }
              - match: { prefix: "/", headers: [{ name: "connection", present_match: true }] }
                direct_response: { status: 418 }
              - match: { prefix: "/", headers: [{ name: "upgrade", present_match: true }] }
                direct_response: { status: 418 }
              - match: { prefix: "/", headers: [{ name: "proxy-connection", present_match: true }] }
                direct_response: { status: 418 }
              - match: { prefix: "/" }
                route: { cluster: echo }
            """;
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(routes, [ConfigYaml.StaticCluster("echo", upstream.Port)]));
        var url = new Uri(legate.BaseUri, "/hop").ToString();

        // curl sends these as written (HttpClient would rewrite Connection itself).
        foreach (var header in new[] { "Connection: keep-alive", "Keep-Alive: timeout=5", "Upgrade: not-really", "Proxy-Connection: keep-alive" })
        {
            var reply = await Curl.RunAsync("--http1.1", "-H", header, "-H", "X-Kept: yes", url);
            Assert.True(reply.Status == 200, header + " -> " + reply.Status);
            var echo = System.Text.Json.JsonSerializer.Deserialize<EchoReply>(reply.Body, EchoReply.JsonOptions)!;
            Assert.Equal("yes", echo.Header("x-kept"));
            Assert.Null(echo.Header(header[..header.IndexOf(':')]));
        }
        var matched = await Curl.RunAsync("--http1.1", "-H", "X-Other: 1", url);
        Assert.Equal(200, matched.Status);
    }

    [Fact]
    public async Task Pass_through_server_header_keeps_upstream_value_and_suppress_envoy_headers_drops_them()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: "server_header_transformation: PASS_THROUGH\n")
            .Replace("\"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "\"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\n              suppress_envoy_headers: true", StringComparison.Ordinal);
        await using var legate = await LegateHost.StartAsync(yaml);

        using var response = await legate.CreateClient().GetAsync("/pass");
        var echo = await EchoReply.ReadAsync(response);

        Assert.False(response.Headers.Contains("x-envoy-upstream-service-time"));
        Assert.Null(echo.Header("x-envoy-expected-rq-timeout-ms"));
        Assert.False(response.Headers.TryGetValues("server", out var server) && server.Contains("envoy"));
    }

    [Fact]
    public async Task Request_headers_over_max_request_headers_kb_get_431()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)], hcmExtra: "max_request_headers_kb: 2\n"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/big");
        request.Headers.Add("x-big", new string('a', 4096));

        using var response = await legate.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Optional_unknown_filter_is_skipped_and_required_one_is_a_config_error()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        const string unknown = """
            - name: envoy.filters.http.made_up
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.made_up.v3.MadeUp
            """;
        string WithFilter(bool optional) => ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)])
            .Replace("http_filters:\n", "http_filters:\n" + ConfigYaml.Indent(unknown + "\n" + (optional ? "  is_optional: true\n" : string.Empty), 10), StringComparison.Ordinal);

        await using (var legate = await LegateHost.StartAsync(WithFilter(optional: true)))
        {
            using var response = await legate.CreateClient().GetAsync("/optional");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var ex = await Assert.ThrowsAsync<ConfigException>(() => LegateHost.StartAsync(WithFilter(optional: false)));
        Assert.Contains("http_filters[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("envoy.filters.http.made_up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Router_not_last_is_a_config_error_naming_the_filter()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        const string second = """
            - name: envoy.filters.http.router
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
            """;
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)])
            .Replace("http_filters:\n", "http_filters:\n" + ConfigYaml.Indent(second, 10), StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<ConfigException>(() => LegateHost.StartAsync(yaml));

        Assert.Contains("http_filters[0]: terminal filter named envoy.filters.http.router", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ipv6_listener_serves_requests()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }
        await using var upstream = await TestUpstream.StartAsync("echo");
        var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)])
            .Replace("address: 127.0.0.1, port_value: 0", "address: \"::1\", port_value: 0", StringComparison.Ordinal);
        await using var legate = await LegateHost.StartAsync(yaml);
        var port = legate.Server.ListenerManager.Get("listener_0")!.BoundEndPoint!.Port;
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri("http://[::1]:" + port + "/v6"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, legate.Counter("listener.[__1]_0.downstream_cx_total"));
    }
}
