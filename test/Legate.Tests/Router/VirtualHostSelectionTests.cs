using Legate.Config;
using Legate.Router;

namespace Legate.Tests.Router;

public class VirtualHostSelectionTests
{
    private static RouteTable Table(bool ignorePort = false) => RouteTestSupport.Build($$$"""
        {"name":"rc","ignore_port_in_host_matching":{{{(ignorePort ? "true" : "false")}}},"virtual_hosts":[
          {"name":"exact","domains":["api.foo.com","Mixed.Example.com"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]},
          {"name":"suffix_short","domains":["*.foo.com"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]},
          {"name":"suffix_long","domains":["*-bar.foo.com"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]},
          {"name":"prefix_short","domains":["foo.*"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]},
          {"name":"prefix_long","domains":["foo.bar.*"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]},
          {"name":"with_port","domains":["ported.com:8080"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]},
          {"name":"default","domains":["*"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]}
        ]}
        """);

    [Theory]
    [InlineData("api.foo.com", "exact")]
    [InlineData("API.FOO.COM", "exact")]
    [InlineData("mixed.example.com", "exact")]
    [InlineData("www.foo.com", "suffix_short")]
    [InlineData("x-bar.foo.com", "suffix_long")]
    [InlineData("-bar.foo.com", "suffix_short")]
    [InlineData(".foo.com", "default")]
    [InlineData("foo.com", "prefix_short")]
    [InlineData("foo.bar.baz", "prefix_long")]
    [InlineData("foo.", "default")]
    [InlineData("other.org", "default")]
    [InlineData("api.foo.com:80", "default")]
    [InlineData("foo.bar.com:80", "prefix_long")]
    [InlineData("ported.com:8080", "with_port")]
    [InlineData("ported.com", "default")]
    public void DomainPrecedence(string authority, string expected)
    {
        var table = Table();
        Assert.Equal(expected, table.FindVirtualHost(authority)?.Name);
    }

    [Theory]
    [InlineData("api.foo.com:8443", "exact")]
    [InlineData("ported.com:8080", "default")]
    [InlineData("[::1]:80", "default")]
    public void IgnorePortStripsThePortBeforeLookup(string authority, string expected)
    {
        Assert.Equal(expected, Table(ignorePort: true).FindVirtualHost(authority)?.Name);
    }

    [Fact]
    public void PortIsComparedWhenNotIgnored()
    {
        // Envoy does not retry without the port: "api.foo.com:80" is not the exact domain "api.foo.com".
        var table = RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[{"name":"only","domains":["api.foo.com"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]}]}
            """);
        Assert.Equal("only", table.FindVirtualHost("api.foo.com")?.Name);
        Assert.Null(table.FindVirtualHost("api.foo.com:80"));
        var route = table.Match(RouteTestSupport.Request("/", authority: "api.foo.com:80"), out var virtualHost);
        Assert.Null(route);
        Assert.Null(virtualHost);
    }

    [Fact]
    public void OnlyDefaultVirtualHostMatchesWithoutAuthority()
    {
        var table = RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"route":{"cluster":"c"}}""");
        Assert.Equal("vh", table.FindVirtualHost(null)?.Name);
        Assert.Equal("vh", table.FindVirtualHost("anything:1234")?.Name);
    }

    [Fact]
    public void DuplicateDomainIsRejectedWithPath()
    {
        var error = Assert.Throws<ConfigException>(() => RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[
              {"name":"a","domains":["x.com"],"routes":[]},
              {"name":"b","domains":["y.com","X.com"],"routes":[]}]}
            """));
        Assert.Equal("route_config.virtual_hosts[1].domains[1]", error.FieldPath);
        Assert.Equal("Only unique values for domains are permitted. Duplicate entry of domain x.com in route rc", error.Detail);
    }

    [Fact]
    public void DuplicateWildcardsAreRejected()
    {
        var suffix = Assert.Throws<ConfigException>(() => RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[{"name":"a","domains":["*.x.com"]},{"name":"b","domains":["*.x.com"]}]}
            """));
        Assert.Equal("route_config.virtual_hosts[1].domains[0]", suffix.FieldPath);
        var star = Assert.Throws<ConfigException>(() => RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[{"name":"a","domains":["*"]},{"name":"b","domains":["*"]}]}
            """));
        Assert.Equal("Only a single wildcard domain is permitted in route rc", star.Detail);
    }

    [Fact]
    public void VirtualHostWithoutDomainsIsRejected()
    {
        var error = Assert.Throws<ConfigException>(() => RouteTestSupport.Build("""{"name":"rc","virtual_hosts":[{"name":"a"}]}"""));
        Assert.Equal("route_config.virtual_hosts[0].domains", error.FieldPath);
    }

    [Fact]
    public void ManyVirtualHostsLookUpByDictionary()
    {
        var vhosts = new System.Text.StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            vhosts.Append($$"""{"name":"vh{{i}}","domains":["host{{i}}.example.com","*.w{{i}}.example.com"]},""");
        }
        vhosts.Append("""{"name":"default","domains":["*"]}""");
        var table = RouteTestSupport.Build("""{"name":"rc","virtual_hosts":[""" + vhosts + "]}");
        Assert.Equal("vh321", table.FindVirtualHost("host321.example.com")?.Name);
        Assert.Equal("vh42", table.FindVirtualHost("a.w42.example.com")?.Name);
        Assert.Equal("default", table.FindVirtualHost("w42.example.com")?.Name);
    }
}
