using System.Text;
using Legate.Router;
using Microsoft.AspNetCore.Http;

namespace Legate.Tests.Router;

public class RouteMatchAllocationTests
{
    [Fact]
    public void MatchingAPrefixRouteAmongAThousandVirtualHostsAllocatesNothing()
    {
        var json = new StringBuilder("""{"name":"rc","virtual_hosts":[""");
        for (var i = 0; i < 1000; i++)
        {
            json.Append($$$"""
                {"name":"vh{{{i}}}","domains":["svc{{{i}}}.example.com","*.w{{{i}}}.example.com"],"routes":[
                  {"name":"exact","match":{"path":"/healthz"},"route":{"cluster":"c"}},
                  {"name":"hdr","match":{"prefix":"/api","headers":[{"name":"x-env","string_match":{"exact":"canary"}}]},"route":{"cluster":"c"}},
                  {"name":"api","match":{"prefix":"/api"},"route":{"cluster":"c{{{i}}}"}}]},
                """);
        }
        json.Append("""{"name":"default","domains":["*"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"d"}}]}]}""");
        var table = RouteTestSupport.Build(json.ToString());
        var headers = new HeaderDictionary { ["x-env"] = "prod", ["user-agent"] = "test" };
        var exact = new RouteRequest { Authority = "svc777.example.com", Path = "/api/v1/items?x=1", Method = "GET", Scheme = "http", Headers = headers };
        var wildcard = new RouteRequest { Authority = "a.w5.example.com", Path = "/api/v1", Method = "GET", Scheme = "http", Headers = headers };
        var fallback = new RouteRequest { Authority = "a.w5.example.com:8080", Path = "/x", Method = "GET", Scheme = "http", Headers = headers };
        var upperCase = new RouteRequest { Authority = "SVC12.Example.com", Path = "/api", Method = "GET", Scheme = "http", Headers = headers };

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("api", table.Match(exact, out _)!.Name);
            Assert.Equal("c5", table.Match(wildcard, out _)!.ClusterFor(wildcard, out _));
            Assert.Equal("d", table.Match(fallback, out _)!.ClusterFor(fallback, out _));
            Assert.Equal("api", table.Match(upperCase, out _)!.Name);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.Match(exact, out _);
            table.Match(wildcard, out _);
            table.Match(fallback, out _);
            table.Match(upperCase, out _);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        Assert.Equal("c777", table.Match(exact, out var virtualHost)!.ClusterFor(exact, out _));
        Assert.Equal("vh777", virtualHost!.Name);
    }
}
