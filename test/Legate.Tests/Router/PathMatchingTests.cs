using Legate.Config;
using Legate.Router;

namespace Legate.Tests.Router;

public class PathMatchingTests
{
    private static string? RouteName(RouteTable table, string path, string method = "GET") =>
        table.Match(RouteTestSupport.Request(path, method: method), out _)?.Name;

    [Theory]
    [InlineData("/api", "api")]
    [InlineData("/api/v1?x=1", "api")]
    [InlineData("/apix", "api")]
    [InlineData("/API", "fallback")]
    [InlineData("/", "fallback")]
    public void PrefixIsCaseSensitiveByDefault(string path, string expected)
    {
        var table = RouteTestSupport.BuildRoutes("""
            {"name":"api","match":{"prefix":"/api"},"route":{"cluster":"c"}},
            {"name":"fallback","match":{"prefix":""},"route":{"cluster":"c"}}
            """);
        Assert.Equal(expected, RouteName(table, path));
    }

    [Theory]
    [InlineData("/API/V1", "api")]
    [InlineData("/Exact", "exact")]
    [InlineData("/EXACT?q", "exact")]
    [InlineData("/exact/", null)]
    public void CaseInsensitivePrefixAndPath(string path, string? expected)
    {
        var table = RouteTestSupport.BuildRoutes("""
            {"name":"api","match":{"prefix":"/api","case_sensitive":false},"route":{"cluster":"c"}},
            {"name":"exact","match":{"path":"/exact","case_sensitive":false},"route":{"cluster":"c"}}
            """);
        Assert.Equal(expected, RouteName(table, path));
    }

    [Theory]
    [InlineData("/exact", "exact")]
    [InlineData("/exact?x=y", "exact")]
    [InlineData("/exact/", null)]
    [InlineData("/Exact", null)]
    public void PathIgnoresTheQuery(string path, string? expected)
    {
        var table = RouteTestSupport.BuildRoutes("""{"name":"exact","match":{"path":"/exact"},"route":{"cluster":"c"}}""");
        Assert.Equal(expected, RouteName(table, path));
    }

    [Theory]
    [InlineData("/api/dev", "sep")]
    [InlineData("/api/dev/", "sep")]
    [InlineData("/api/dev/x", "sep")]
    [InlineData("/api/dev?x", "sep")]
    [InlineData("/api/developer", null)]
    [InlineData("/api/de", null)]
    public void PathSeparatedPrefix(string path, string? expected)
    {
        var table = RouteTestSupport.BuildRoutes("""{"name":"sep","match":{"path_separated_prefix":"/api/dev"},"route":{"cluster":"c"}}""");
        Assert.Equal(expected, RouteName(table, path));
    }

    [Fact]
    public void PathSeparatedPrefixMustNotEndWithSlash()
    {
        var error = Assert.Throws<ConfigException>(() =>
            RouteTestSupport.BuildRoutes("""{"match":{"path_separated_prefix":"/api/"},"route":{"cluster":"c"}}"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].match.path_separated_prefix", error.FieldPath);
    }

    [Theory]
    [InlineData("/users/42", "re")]
    [InlineData("/users/42?expand=1", "re")]
    [InlineData("/users/42/x", null)]
    [InlineData("/users/abc", null)]
    [InlineData("/x/users/42", null)]
    public void SafeRegexIsAFullMatchOnThePathWithoutQuery(string path, string? expected)
    {
        var table = RouteTestSupport.BuildRoutes("""{"name":"re","match":{"safe_regex":{"regex":"/users/\\d+"}},"route":{"cluster":"c"}}""");
        Assert.Equal(expected, RouteName(table, path));
    }

    [Fact]
    public void SafeRegexCaseSensitiveFlagIsIgnored()
    {
        var table = RouteTestSupport.BuildRoutes("""{"name":"re","match":{"safe_regex":{"regex":"/abc"},"case_sensitive":false},"route":{"cluster":"c"}}""");
        Assert.Null(RouteName(table, "/ABC"));
        Assert.Equal("re", RouteName(table, "/abc"));
    }

    [Fact]
    public void InvalidRegexNamesTheField()
    {
        var error = Assert.Throws<ConfigException>(() =>
            RouteTestSupport.BuildRoutes("""{"match":{"safe_regex":{"regex":"/(unclosed"}},"route":{"cluster":"c"}}"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].match.safe_regex.regex", error.FieldPath);
    }

    [Fact]
    public void FirstMatchWins()
    {
        var table = RouteTestSupport.BuildRoutes("""
            {"name":"first","match":{"prefix":"/a"},"route":{"cluster":"c"}},
            {"name":"second","match":{"prefix":"/a/b"},"route":{"cluster":"c"}}
            """);
        Assert.Equal("first", RouteName(table, "/a/b"));
    }

    [Fact]
    public void ConnectMatcherMatchesConnectOnly()
    {
        var table = RouteTestSupport.BuildRoutes("""{"name":"connect","match":{"connect_matcher":{}},"route":{"cluster":"c"}}""");
        Assert.Equal("connect", RouteName(table, "example.com:443", "CONNECT"));
        Assert.Null(RouteName(table, "/", "GET"));
    }

    [Fact]
    public void IgnorePathParametersStripsSemicolonParameters()
    {
        var table = RouteTestSupport.Build("""
            {"name":"rc","ignore_path_parameters_in_path_matching":true,"virtual_hosts":[{"name":"vh","domains":["*"],"routes":[
              {"name":"p","match":{"path":"/foo"},"route":{"cluster":"c"}}]}]}
            """);
        Assert.Equal("p", RouteName(table, "/foo;jsessionid=1"));
    }

    [Fact]
    public void RouteWithoutActionIsRejected()
    {
        var error = Assert.Throws<ConfigException>(() => RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"}}"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0]", error.FieldPath);
    }
}
