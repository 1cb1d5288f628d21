using Legate.Config;
using Legate.Router;

namespace Legate.Tests.Router;

public class RouteActionTests
{
    private static RouteEntry Single(string routeJson, string path = "/")
    {
        var table = RouteTestSupport.BuildRoutes(routeJson);
        return table.Match(RouteTestSupport.Request(path), out _)!;
    }

    [Fact]
    public void ClusterAndDefaults()
    {
        var route = Single("""{"name":"r","match":{"prefix":"/"},"route":{"cluster":"backend"}}""");
        Assert.Equal(RouteActionKind.Route, route.Kind);
        Assert.Equal("r", route.Name);
        Assert.Equal("vh", route.VirtualHost.Name);
        Assert.Equal("backend", route.ClusterFor(RouteTestSupport.Request("/"), out var weighted));
        Assert.Null(weighted);
        Assert.Equal(503, route.ClusterNotFoundStatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), route.Timeout);
        Assert.Null(route.IdleTimeout);
        Assert.Null(route.RewritePath("/x"));
        Assert.Equal(HostRewriteKind.None, route.HostRewrite.Kind);
        Assert.Null(route.UpgradeEnabled("websocket"));
        Assert.Null(route.RetryPolicy);
        Assert.NotNull(route.Action);
    }

    [Theory]
    [InlineData("NOT_FOUND", 404)]
    [InlineData("INTERNAL_SERVER_ERROR", 500)]
    [InlineData("SERVICE_UNAVAILABLE", 503)]
    public void ClusterNotFoundResponseCode(string code, int expected)
    {
        var route = Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","cluster_not_found_response_code":""" + "\"" + code + "\"}}");
        Assert.Equal(expected, route.ClusterNotFoundStatusCode);
    }

    [Fact]
    public void TimeoutsZeroDisables()
    {
        var route = Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","timeout":"0s","idle_timeout":"2.5s"}}""");
        Assert.Null(route.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), route.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","timeout":"3s"}}""").Timeout);
    }

    [Fact]
    public void ClusterHeaderUsesTheFirstValue()
    {
        var route = Single("""{"match":{"prefix":"/"},"route":{"cluster_header":"X-Cluster"}}""");
        Assert.Equal("one", route.ClusterFor(RouteTestSupport.Request("/", headers: [("x-cluster", "one"), ("x-cluster", "two")]), out _));
        Assert.Null(route.ClusterFor(RouteTestSupport.Request("/"), out _));
    }

    [Fact]
    public void WeightedClustersSplitByRandomValue()
    {
        var route = Single("""
            {"match":{"prefix":"/"},"route":{"weighted_clusters":{"clusters":[
              {"name":"a","weight":20},{"name":"zero","weight":0},{"name":"b","weight":30},{"name":"c","weight":50}]}}}
            """);
        Assert.Equal(4, route.WeightedClusters!.Count);
        var counts = new Dictionary<string, int>();
        for (ulong i = 0; i < 1000; i++)
        {
            var name = route.ClusterFor(RouteTestSupport.Request("/", random: i), out var weighted)!;
            Assert.Equal(name, weighted!.Name);
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        Assert.Equal(200, counts["a"]);
        Assert.Equal(300, counts["b"]);
        Assert.Equal(500, counts["c"]);
        Assert.False(counts.ContainsKey("zero"));
        Assert.Equal("a", route.ClusterFor(RouteTestSupport.Request("/", random: 19), out _));
        Assert.Equal("b", route.ClusterFor(RouteTestSupport.Request("/", random: 20), out _));
        Assert.Equal("c", route.ClusterFor(RouteTestSupport.Request("/", random: 99), out _));
    }

    [Fact]
    public void WeightedClustersHeaderNameAndClusterHeader()
    {
        var route = Single("""
            {"match":{"prefix":"/"},"route":{"weighted_clusters":{"header_name":"x-pick","clusters":[
              {"name":"a","weight":1},{"cluster_header":"x-target","weight":1}]}}}
            """);
        Assert.Equal("a", route.ClusterFor(RouteTestSupport.Request("/", random: 1, headers: ("x-pick", "2")), out _));
        Assert.Equal("dyn", route.ClusterFor(RouteTestSupport.Request("/", random: 0, headers: [("x-pick", "3"), ("x-target", "dyn")]), out _));
        // Not a number: fall back to the random value.
        Assert.Equal("a", route.ClusterFor(RouteTestSupport.Request("/", random: 0, headers: ("x-pick", "x")), out _));
    }

    [Fact]
    public void WeightedClustersValidation()
    {
        var total = Assert.Throws<ConfigException>(() => Single("""
            {"match":{"prefix":"/"},"route":{"weighted_clusters":{"total_weight":100,"clusters":[{"name":"a","weight":20}]}}}
            """));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].route.weighted_clusters.total_weight", total.FieldPath);
        Assert.Equal("b", Single("""
            {"match":{"prefix":"/"},"route":{"weighted_clusters":{"total_weight":3,"clusters":[{"name":"a","weight":1},{"name":"b","weight":2}]}}}
            """).ClusterFor(RouteTestSupport.Request("/", random: 2), out _));
        var zero = Assert.Throws<ConfigException>(() => Single("""
            {"match":{"prefix":"/"},"route":{"weighted_clusters":{"clusters":[{"name":"a","weight":0}]}}}
            """));
        Assert.Equal("Sum of weights in the weighted_cluster must be greater than 0.", zero.Detail);
        var both = Assert.Throws<ConfigException>(() => Single("""
            {"match":{"prefix":"/"},"route":{"weighted_clusters":{"clusters":[{"name":"a","cluster_header":"h","weight":1}]}}}
            """));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].route.weighted_clusters.clusters[0]", both.FieldPath);
    }

    [Fact]
    public void UnknownClustersAreRejectedWhenValidating()
    {
        const string Json = """
            {"name":"rc","virtual_hosts":[{"name":"vh","domains":["*"],"routes":[
              {"match":{"prefix":"/a"},"route":{"cluster":"known"}},
              {"match":{"prefix":"/"},"route":{"cluster":"x"}}]}]}
            """;
        var error = Assert.Throws<ConfigException>(() => RouteTestSupport.Build(Json, name => name == "known"));
        Assert.Equal("route_config.virtual_hosts[0].routes[1].route.cluster", error.FieldPath);
        Assert.Equal("unknown cluster 'x'", error.Detail);
        Assert.Equal("route_config.virtual_hosts[0].routes[1].route.cluster: unknown cluster 'x'", error.Message);

        // Without a lookup, or with validate_clusters: false, names are not checked.
        RouteTestSupport.Build(Json);
        RouteTestSupport.Build(Json.Replace("\"name\":\"rc\",", "\"name\":\"rc\",\"validate_clusters\":false,"), name => name == "known");

        var weighted = Assert.Throws<ConfigException>(() => RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[{"name":"vh","domains":["*"],"routes":[
              {"match":{"prefix":"/"},"route":{"weighted_clusters":{"clusters":[{"name":"known","weight":1},{"name":"y","weight":1}]}}}]}]}
            """, name => name == "known"));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].name", weighted.FieldPath);
        Assert.Equal("unknown weighted cluster 'y'", weighted.Detail);
    }

    [Theory]
    [InlineData("/foo", "/bar", "/foo", "/bar")]
    [InlineData("/foo", "/bar", "/foo/x?y=1", "/bar/x?y=1")]
    [InlineData("/foo/", "/", "/foo/x", "/x")]
    [InlineData("/foo", "/", "/foo/x", "//x")]
    [InlineData("/foo", "/", "/foobar", "/bar")]
    public void PrefixRewriteReplacesTheMatchedPrefix(string prefix, string rewrite, string path, string expected)
    {
        var route = Single($$$"""{"match":{"prefix":"{{{prefix}}}"},"route":{"cluster":"c","prefix_rewrite":"{{{rewrite}}}"}}""", path);
        Assert.Equal(expected, route.RewritePath(path));
    }

    [Fact]
    public void PrefixRewriteOnCaseInsensitiveAndPathRoutes()
    {
        Assert.Equal("/new/x", Single("""{"match":{"prefix":"/old","case_sensitive":false},"route":{"cluster":"c","prefix_rewrite":"/new"}}""", "/OLD/x")
            .RewritePath("/OLD/x"));
        Assert.Equal("/other?q", Single("""{"match":{"path":"/exact"},"route":{"cluster":"c","prefix_rewrite":"/other"}}""", "/exact?q")
            .RewritePath("/exact?q"));
        Assert.Equal("/v2/a", Single("""{"match":{"path_separated_prefix":"/v1"},"route":{"cluster":"c","prefix_rewrite":"/v2"}}""", "/v1/a")
            .RewritePath("/v1/a"));
        Assert.Equal("/all?x=1", Single("""{"match":{"safe_regex":{"regex":"/a.*"}},"route":{"cluster":"c","prefix_rewrite":"/all"}}""", "/abc?x=1")
            .RewritePath("/abc?x=1"));
    }

    [Fact]
    public void RegexRewriteKeepsTheQuery()
    {
        var route = Single("""
            {"match":{"prefix":"/"},"route":{"cluster":"c","regex_rewrite":{"pattern":{"regex":"^/service/([^/]+)(/.*)$"},"substitution":"\\2/instance/\\1"}}}
            """);
        Assert.Equal("/v1/api/instance/foo?x=$1", route.RewritePath("/service/foo/v1/api?x=$1"));
        var all = Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","regex_rewrite":{"pattern":{"regex":"o"},"substitution":"0$"}}}""");
        Assert.Equal("/f0$0$?o", all.RewritePath("/foo?o"));
    }

    [Fact]
    public void OnlyOneRewriteIsAllowed()
    {
        var error = Assert.Throws<ConfigException>(() => Single("""
            {"match":{"prefix":"/"},"route":{"cluster":"c","prefix_rewrite":"/a","regex_rewrite":{"pattern":{"regex":"a"},"substitution":"b"}}}
            """));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].route", error.FieldPath);
    }

    [Fact]
    public void HostRewrites()
    {
        var literal = Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","host_rewrite_literal":"up.internal","append_x_forwarded_host":true}}""");
        Assert.Equal(HostRewriteKind.Literal, literal.HostRewrite.Kind);
        Assert.Equal("up.internal", literal.HostRewrite.NewAuthority(RouteTestSupport.Request("/")));
        Assert.True(literal.HostRewrite.AppendXForwardedHost);

        var auto = Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","auto_host_rewrite":true}}""");
        Assert.Equal(HostRewriteKind.AutoHostRewrite, auto.HostRewrite.Kind);

        var header = Single("""{"match":{"prefix":"/"},"route":{"cluster":"c","host_rewrite_header":"X-Host"}}""");
        Assert.Equal("h.example", header.HostRewrite.NewAuthority(RouteTestSupport.Request("/", headers: ("x-host", "h.example"))));
        Assert.Null(header.HostRewrite.NewAuthority(RouteTestSupport.Request("/")));

        var regex = Single("""
            {"match":{"prefix":"/"},"route":{"cluster":"c","host_rewrite_path_regex":{"pattern":{"regex":"^/prefix/(.+)$"},"substitution":"\\1.example"}}}
            """);
        Assert.Equal("svc.example", regex.HostRewrite.NewAuthority(RouteTestSupport.Request("/prefix/svc?x")));
    }

    [Fact]
    public void UpgradeConfigs()
    {
        var route = Single("""
            {"match":{"prefix":"/"},"route":{"cluster":"c","upgrade_configs":[{"upgrade_type":"websocket"},{"upgrade_type":"CONNECT","enabled":false}]}}
            """);
        Assert.True(route.UpgradeEnabled("WebSocket"));
        Assert.False(route.UpgradeEnabled("connect"));
        Assert.Null(route.UpgradeEnabled("h2c"));
        var error = Assert.Throws<ConfigException>(() => Single("""
            {"match":{"prefix":"/"},"route":{"cluster":"c","upgrade_configs":[{"upgrade_type":"websocket"},{"upgrade_type":"WebSocket"}]}}
            """));
        Assert.Equal("Duplicate upgrade WebSocket", error.Detail);
    }

    [Fact]
    public void RetryPolicyFallsBackToTheVirtualHost()
    {
        var table = RouteTestSupport.Build("""
            {"name":"rc","virtual_hosts":[{"name":"vh","domains":["*"],"retry_policy":{"retry_on":"5xx, reset","num_retries":3},"routes":[
              {"name":"own","match":{"prefix":"/own"},"route":{"cluster":"c","retry_policy":{"retry_on":"connect-failure","per_try_timeout":"1s",
                "retry_back_off":{"base_interval":"0.1s"}}}},
              {"name":"inherit","match":{"prefix":"/"},"route":{"cluster":"c"}}]}]}
            """);
        var own = table.Match(RouteTestSupport.Request("/own"), out _)!.RetryPolicy!;
        Assert.Equal(["connect-failure"], own.RetryOn);
        Assert.Equal(1u, own.NumRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), own.PerTryTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), own.BaseInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), own.MaxInterval);
        var inherited = table.Match(RouteTestSupport.Request("/x"), out _)!.RetryPolicy!;
        Assert.Equal(["5xx", "reset"], inherited.RetryOn);
        Assert.Equal(3u, inherited.NumRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(25), inherited.BaseInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), inherited.MaxInterval);
    }

    [Fact]
    public void MirrorPolicies()
    {
        var route = Single("""
            {"match":{"prefix":"/"},"route":{"cluster":"c","request_mirror_policies":[{"cluster":"shadow","runtime_fraction":{"default_value":{"numerator":10}}}]}}
            """);
        var mirror = Assert.Single(route.MirrorPolicies);
        Assert.Equal("shadow", mirror.ClusterFor(RouteTestSupport.Request("/")));
        Assert.True(mirror.Enabled(9));
        Assert.False(mirror.Enabled(10));
        Assert.Equal("foo-shadow", MirrorPolicyEntry.ShadowAuthority("foo"));
        Assert.Equal("foo-shadow:80", MirrorPolicyEntry.ShadowAuthority("foo:80"));
    }

    [Fact]
    public void NonForwardingAction()
    {
        var route = Single("""{"match":{"prefix":"/"},"non_forwarding_action":{}}""");
        Assert.Equal(RouteActionKind.NonForwarding, route.Kind);
        Assert.Null(route.ClusterFor(RouteTestSupport.Request("/"), out _));
        Assert.Null(route.Action);
    }
}
