using System.Text;
using Legate.Config;
using Legate.Router;

namespace Legate.Tests.Router;

public class RedirectAndDirectResponseTests
{
    private static string Location(string redirectJson, string path, string authority = "host:80", string scheme = "http",
        string prefix = "/", params (string, string)[] headers)
    {
        var table = RouteTestSupport.BuildRoutes("""{"match":{"prefix":""" + "\"" + prefix + "\"" + """},"redirect":""" + redirectJson + "}");
        var request = RouteTestSupport.Request(path, authority, scheme: scheme, headers: headers);
        var route = table.Match(request, out _)!;
        Assert.Equal(RouteActionKind.Redirect, route.Kind);
        return route.BuildRedirectLocation(request);
    }

    [Fact]
    public void HttpsRedirectDropsTheDefaultHttpPort()
    {
        Assert.Equal("https://host/path?x=1", Location("""{"https_redirect":true}""", "/path?x=1", "host:80"));
        // A non-default port stays.
        Assert.Equal("https://host:8080/path", Location("""{"https_redirect":true}""", "/path", "host:8080"));
        // Same scheme: port kept.
        Assert.Equal("https://host:443/p", Location("""{"https_redirect":true}""", "/p", "host:443", "https"));
        // Port stripping follows x-forwarded-proto.
        Assert.Equal("https://host:80/p", Location("""{"https_redirect":true}""", "/p", "host:80", headers: ("x-forwarded-proto", "https")));
        Assert.Equal("http://[::1]/p", Location("""{"scheme_redirect":"http"}""", "/p", "[::1]:443", "https"));
    }

    [Fact]
    public void PortAndHostRedirect()
    {
        Assert.Equal("http://host:8443/p", Location("""{"port_redirect":8443}""", "/p", "host:80"));
        Assert.Equal("http://other.com/p", Location("""{"host_redirect":"other.com"}""", "/p", "host:80"));
        Assert.Equal("https://other.com:9443/p", Location("""{"host_redirect":"other.com","port_redirect":9443,"https_redirect":true}""", "/p"));
    }

    [Fact]
    public void PathRedirectAndQueries()
    {
        Assert.Equal("http://host:80/new?q=1", Location("""{"path_redirect":"/new"}""", "/old?q=1"));
        Assert.Equal("http://host:80/new", Location("""{"path_redirect":"/new","strip_query":true}""", "/old?q=1"));
        // A query in path_redirect replaces the request's and is never stripped.
        Assert.Equal("http://host:80/new?a=b", Location("""{"path_redirect":"/new?a=b","strip_query":true}""", "/old?q=1"));
        Assert.Equal("http://host:80/old", Location("""{"strip_query":true}""", "/old?q=1"));
        Assert.Equal("http://host:80/relative", Location("""{"path_redirect":"relative"}""", "/old"));
    }

    [Fact]
    public void PrefixAndRegexRewriteRedirects()
    {
        Assert.Equal("http://host:80/v2/users?x", Location("""{"prefix_rewrite":"/v2/"}""", "/v1/users?x", prefix: "/v1/"));
        Assert.Equal("http://host:80/users/42/profile?x=1",
            Location("""{"regex_rewrite":{"pattern":{"regex":"^/profile/(\\d+)$"},"substitution":"/users/\\1/profile"}}""", "/profile/42?x=1"));
    }

    [Theory]
    [InlineData("MOVED_PERMANENTLY", 301)]
    [InlineData("FOUND", 302)]
    [InlineData("SEE_OTHER", 303)]
    [InlineData("TEMPORARY_REDIRECT", 307)]
    [InlineData("PERMANENT_REDIRECT", 308)]
    public void ResponseCodes(string code, int expected)
    {
        var table = RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"redirect":{"response_code":""" + "\"" + code + "\"}}");
        Assert.Equal(expected, table.Match(RouteTestSupport.Request("/"), out _)!.RedirectResponseCode);
    }

    [Fact]
    public void RequireTlsRedirectsPlainTextRequests()
    {
        var table = RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[
              {"name":"all","domains":["secure.com","secure.com:8080"],"require_tls":"ALL","routes":[{"name":"r","match":{"prefix":"/"},"route":{"cluster":"c"}}]},
              {"name":"ext","domains":["ext.com"],"require_tls":"EXTERNAL_ONLY","routes":[{"name":"r","match":{"prefix":"/"},"route":{"cluster":"c"}}]}]}
            """);
        var plain = RouteTestSupport.Request("/a?b", "secure.com:8080");
        var route = table.Match(plain, out var virtualHost)!;
        Assert.Equal("all", virtualHost!.Name);
        Assert.True(route.IsTlsRedirect);
        Assert.Equal(301, route.RedirectResponseCode);
        Assert.Equal("https://secure.com:8080/a?b", route.BuildRedirectLocation(plain));
        Assert.Equal("r", table.Match(RouteTestSupport.Request("/", "secure.com", scheme: "https"), out _)!.Name);
        Assert.Equal("r", table.Match(RouteTestSupport.Request("/", "secure.com", headers: ("x-forwarded-proto", "https")), out _)!.Name);

        Assert.True(table.Match(RouteTestSupport.Request("/", "ext.com"), out _)!.IsTlsRedirect);
        Assert.Equal("r", table.Match(RouteTestSupport.Request("/", "ext.com", headers: ("x-envoy-internal", "true")), out _)!.Name);
    }

    [Fact]
    public void DirectResponseInlineBodies()
    {
        var table = RouteTestSupport.BuildRoutes("""
            {"name":"s","match":{"prefix":"/s"},"direct_response":{"status":200,"body":{"inline_string":"hello"}}},
            {"name":"b","match":{"prefix":"/b"},"direct_response":{"status":503,"body":{"inline_bytes":"AAEC"}}},
            {"name":"e","match":{"prefix":"/e"},"direct_response":{"status":204}},
            {"name":"l","match":{"prefix":"/l"},"direct_response":{"status":302}}
            """);
        var text = table.Match(RouteTestSupport.Request("/s"), out _)!;
        Assert.Equal(RouteActionKind.DirectResponse, text.Kind);
        Assert.Equal(200, text.DirectResponseStatus);
        Assert.Equal("hello", Encoding.UTF8.GetString(text.DirectResponseBody.Span));
        Assert.False(text.DirectResponseAddsLocation);
        Assert.Equal(new byte[] { 0, 1, 2 }, table.Match(RouteTestSupport.Request("/b"), out _)!.DirectResponseBody.ToArray());
        Assert.True(table.Match(RouteTestSupport.Request("/e"), out _)!.DirectResponseBody.IsEmpty);
        var located = table.Match(RouteTestSupport.Request("/l?x"), out _)!;
        Assert.True(located.DirectResponseAddsLocation);
        Assert.Equal("http://host:80/l?x", located.BuildRedirectLocation(RouteTestSupport.Request("/l?x", "host:80")));
    }

    [Fact]
    public void DirectResponseBodyFromFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from file");
            var table = RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"direct_response":{"status":200,"body":{"filename":""" +
                                                      System.Text.Json.JsonSerializer.Serialize(file) + "}}}");
            Assert.Equal("from file", Encoding.UTF8.GetString(table.Match(RouteTestSupport.Request("/"), out _)!.DirectResponseBody.Span));
        }
        finally
        {
            File.Delete(file);
        }
        var missing = Assert.Throws<ConfigException>(() =>
            RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"direct_response":{"status":200,"body":{"filename":"/nonexistent/legate/body"}}}"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].direct_response.body.filename", missing.FieldPath);
    }

    [Fact]
    public void DirectResponseBodyLimit()
    {
        var big = new string('x', 4097);
        var error = Assert.Throws<ConfigException>(() =>
            RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"direct_response":{"status":200,"body":{"inline_string":""" + "\"" + big + "\"}}}"));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].direct_response.body", error.FieldPath);
        RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"direct_response":{"status":200,"body":{"inline_string":""" + "\"" + big[..4096] + "\"}}}");
        // The route configuration can raise the limit.
        RouteTestSupport.Build("""{"name":"rc","max_direct_response_body_size_bytes":5000,"virtual_hosts":[{"name":"vh","domains":["*"],"routes":[""" +
                               """{"match":{"prefix":"/"},"direct_response":{"status":200,"body":{"inline_string":""" + "\"" + big + "\"}}}]}]}");
    }

    [Fact]
    public void DirectResponseStatusRange()
    {
        var error = Assert.Throws<ConfigException>(() => RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"direct_response":{"status":600}}"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].direct_response.status", error.FieldPath);
    }
}
