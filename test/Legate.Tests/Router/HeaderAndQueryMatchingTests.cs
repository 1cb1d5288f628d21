using Legate.Router;

namespace Legate.Tests.Router;

public class HeaderAndQueryMatchingTests
{
    private static bool Matches(string matchJson, string path = "/", params (string, string)[] headers)
    {
        var table = RouteTestSupport.BuildRoutes("""{"name":"r","match":""" + matchJson + ""","route":{"cluster":"c"}}""");
        return table.Match(RouteTestSupport.Request(path, headers: headers), out _) is not null;
    }

    [Fact]
    public void StringMatchKinds()
    {
        const string Exact = """{"prefix":"/","headers":[{"name":"x-env","string_match":{"exact":"prod"}}]}""";
        Assert.True(Matches(Exact, headers: ("x-env", "prod")));
        Assert.False(Matches(Exact, headers: ("x-env", "Prod")));
        Assert.False(Matches(Exact));

        const string IgnoreCase = """{"prefix":"/","headers":[{"name":"X-Env","string_match":{"exact":"prod","ignore_case":true}}]}""";
        Assert.True(Matches(IgnoreCase, headers: ("x-env", "PROD")));

        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"ua","string_match":{"prefix":"curl/"}}]}""", headers: ("ua", "curl/8.0")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"ua","string_match":{"suffix":".0"}}]}""", headers: ("ua", "curl/8.0")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"ua","string_match":{"contains":"RL","ignore_case":true}}]}""", headers: ("ua", "curl/8.0")));
        Assert.False(Matches("""{"prefix":"/","headers":[{"name":"ua","string_match":{"contains":"RL"}}]}""", headers: ("ua", "curl/8.0")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"id","string_match":{"safe_regex":{"regex":"[0-9]{3}"}}}]}""", headers: ("id", "123")));
        Assert.False(Matches("""{"prefix":"/","headers":[{"name":"id","string_match":{"safe_regex":{"regex":"[0-9]{3}"}}}]}""", headers: ("id", "1234")));
    }

    [Fact]
    public void DeprecatedSpecifiers()
    {
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","exact_match":"a"}]}""", headers: ("x", "a")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","exact_match":""}]}""", headers: ("x", "anything")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","prefix_match":"ab"}]}""", headers: ("x", "abc")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","suffix_match":"bc"}]}""", headers: ("x", "abc")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","contains_match":"b"}]}""", headers: ("x", "abc")));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","safe_regex_match":{"regex":"a.c"}}]}""", headers: ("x", "abc")));
    }

    [Fact]
    public void PresentMatchAndInvert()
    {
        const string Present = """{"prefix":"/","headers":[{"name":"x","present_match":true}]}""";
        Assert.True(Matches(Present, headers: ("x", "1")));
        Assert.False(Matches(Present));
        const string Absent = """{"prefix":"/","headers":[{"name":"x","present_match":false}]}""";
        Assert.True(Matches(Absent));
        Assert.False(Matches(Absent, headers: ("x", "1")));
        const string NoSpecifier = """{"prefix":"/","headers":[{"name":"x"}]}""";
        Assert.True(Matches(NoSpecifier, headers: ("x", "1")));
        Assert.False(Matches(NoSpecifier));
        const string InvertedPresent = """{"prefix":"/","headers":[{"name":"x","present_match":true,"invert_match":true}]}""";
        Assert.True(Matches(InvertedPresent));
        Assert.False(Matches(InvertedPresent, headers: ("x", "1")));
        const string InvertedExact = """{"prefix":"/","headers":[{"name":"x","string_match":{"exact":"a"},"invert_match":true}]}""";
        Assert.True(Matches(InvertedExact, headers: ("x", "b")));
        Assert.False(Matches(InvertedExact, headers: ("x", "a")));
        // An absent header never satisfies a value matcher, inverted or not.
        Assert.False(Matches(InvertedExact));
    }

    [Fact]
    public void TreatMissingHeaderAsEmpty()
    {
        const string Json = """{"prefix":"/","headers":[{"name":"x","string_match":{"exact":""},"treat_missing_header_as_empty":true}]}""";
        Assert.True(Matches(Json));
        Assert.False(Matches("""{"prefix":"/","headers":[{"name":"x","string_match":{"exact":""}}]}"""));
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("-5", true)]
    [InlineData("19", true)]
    [InlineData("20", false)]
    [InlineData("-11", false)]
    [InlineData("abc", false)]
    [InlineData("1.5", false)]
    public void RangeMatchIsHalfOpen(string value, bool expected)
    {
        Assert.Equal(expected, Matches("""{"prefix":"/","headers":[{"name":"n","range_match":{"start":"-10","end":"20"}}]}""", headers: ("n", value)));
    }

    [Fact]
    public void RepeatedHeaderValuesAreJoinedWithComma()
    {
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":"x","string_match":{"exact":"a,b"}}]}""", "/", ("x", "a"), ("x", "b")));
    }

    [Fact]
    public void PseudoHeaders()
    {
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":":method","string_match":{"exact":"GET"}}]}"""));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":":authority","string_match":{"exact":"example.com"}}]}"""));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":":path","string_match":{"exact":"/p?q=1"}}]}""", "/p?q=1"));
        Assert.True(Matches("""{"prefix":"/","headers":[{"name":":scheme","string_match":{"exact":"http"}}]}"""));
    }

    [Fact]
    public void QueryParameters()
    {
        const string Exact = """{"prefix":"/","query_parameters":[{"name":"debug","string_match":{"exact":"1"}}]}""";
        Assert.True(Matches(Exact, "/x?a=b&debug=1"));
        Assert.False(Matches(Exact, "/x?debug=2&debug=1"));
        Assert.False(Matches(Exact, "/x"));
        const string Present = """{"prefix":"/","query_parameters":[{"name":"flag","present_match":true}]}""";
        Assert.True(Matches(Present, "/x?flag"));
        Assert.True(Matches(Present, "/x?flag="));
        Assert.False(Matches(Present, "/x?flags=1"));
        // Values are compared in their URL-encoded form.
        const string Encoded = """{"prefix":"/","query_parameters":[{"name":"q","string_match":{"exact":"a%20b"}}]}""";
        Assert.True(Matches(Encoded, "/x?q=a%20b"));
        Assert.False(Matches(Encoded, "/x?q=a b#frag"));
    }

    [Fact]
    public void GrpcMatcher()
    {
        const string Grpc = """{"prefix":"/","grpc":{}}""";
        Assert.True(Matches(Grpc, headers: ("content-type", "application/grpc")));
        Assert.True(Matches(Grpc, headers: ("content-type", "application/grpc+proto")));
        Assert.False(Matches(Grpc, headers: ("content-type", "application/grpc-web")));
        Assert.False(Matches(Grpc, headers: ("content-type", "application/json")));
        Assert.False(Matches(Grpc));
    }

    [Fact]
    public void RuntimeFractionUsesTheRandomValue()
    {
        var table = RouteTestSupport.BuildRoutes("""
            {"name":"canary","match":{"prefix":"/","runtime_fraction":{"default_value":{"numerator":25,"denominator":"HUNDRED"},"runtime_key":"k"}},"route":{"cluster":"canary"}},
            {"name":"main","match":{"prefix":"/"},"route":{"cluster":"main"}}
            """);
        Assert.Equal("canary", table.Match(RouteTestSupport.Request("/", random: 124), out _)?.Name);
        Assert.Equal("main", table.Match(RouteTestSupport.Request("/", random: 125), out _)?.Name);
        var hits = 0;
        for (ulong i = 0; i < 1000; i++)
        {
            if (table.Match(RouteTestSupport.Request("/", random: i), out _)?.Name == "canary")
            {
                hits++;
            }
        }
        Assert.Equal(250, hits);
    }

    [Fact]
    public void VirtualClustersMatchByHeaders()
    {
        var table = RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[{"name":"vh","domains":["*"],
              "virtual_clusters":[{"name":"posts","headers":[{"name":":method","string_match":{"exact":"POST"}}]}],
              "routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]}]}
            """);
        var virtualHost = table.FindVirtualHost("x")!;
        Assert.Equal("posts", virtualHost.FindVirtualCluster(RouteTestSupport.Request("/", method: "POST"))?.Name);
        Assert.Equal("other", virtualHost.FindVirtualCluster(RouteTestSupport.Request("/"))?.Name);
    }
}
