using Envoy.Config.Metrics.V3;
using Legate.Config;
using Legate.Stats;
using Legate.Stats.Rendering;
using ListStringMatcher = Envoy.Type.Matcher.V3.ListStringMatcher;
using StringMatcher = Envoy.Type.Matcher.V3.StringMatcher;

namespace Legate.Tests.Stats;

public sealed class StatsConfigTests
{
    private static StatsConfig Parse(string json) =>
        new Google.Protobuf.JsonParser(Google.Protobuf.JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry)).Parse<StatsConfig>(json);

    [Fact]
    public void RejectAllGivesNoOpHandlesThatAreNeverListed()
    {
        var store = new StatsStore(Parse("""{ "stats_matcher": { "reject_all": true } }"""));
        var a = store.Counter("cluster.a.upstream_rq_total");
        var b = store.Counter("server.live");
        a.Inc();
        Assert.Same(a, b);
        Assert.False(a.Enabled);
        Assert.Equal(0, a.Value);
        Assert.Empty(store.Counters);
        store.Gauge("g").Set(3);
        store.Histogram("h").Record(3);
        store.TextReadout("t").Value = "x";
        Assert.Empty(store.Gauges);
        Assert.Empty(store.Histograms);
        Assert.Empty(store.TextReadouts);
        Assert.Equal(string.Empty, StatsTextRenderer.Render(store, new StatsSelection(), null));
    }

    [Fact]
    public void RejectAllFalseAcceptsEverything()
    {
        var store = new StatsStore(Parse("""{ "stats_matcher": { "reject_all": false } }"""));
        store.Counter("a").Inc();
        Assert.Equal(1, store.Counter("a").Value);
    }

    [Fact]
    public void InclusionListKeepsOnlyMatchingNames()
    {
        var store = new StatsStore(new StatsConfig
        {
            StatsMatcher = new Envoy.Config.Metrics.V3.StatsMatcher
            {
                InclusionList = new ListStringMatcher
                {
                    Patterns =
                    {
                        new StringMatcher { Prefix = "cluster." },
                        new StringMatcher { SafeRegex = new Envoy.Type.Matcher.V3.RegexMatcher { Regex = @"http\..*_rq_total" } },
                    },
                },
            },
        });
        store.Counter("cluster.a.upstream_rq_total").Inc();
        store.Counter("http.ingress.downstream_rq_total").Inc();
        store.Counter("http.ingress.downstream_rq_total_not").Inc();
        store.Counter("listener.admin.downstream_cx_total").Inc();
        var names = store.Counters.Select(c => c.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["cluster.a.upstream_rq_total", "http.ingress.downstream_rq_total"], names);
    }

    [Fact]
    public void ExclusionListDropsMatchingNames()
    {
        var store = new StatsStore(Parse("""{ "stats_matcher": { "exclusion_list": { "patterns": [ { "suffix": "_total" } ] } } }"""));
        store.Counter("cluster.a.upstream_rq_total").Inc();
        store.Counter("cluster.a.upstream_rq_200").Inc();
        Assert.Equal(["cluster.a.upstream_rq_200"], store.Counters.Select(c => c.Name).ToArray());
    }

    [Fact]
    public void InvalidMatcherIsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => new StatsStore(Parse("""{ "stats_matcher": { "inclusion_list": { "patterns": [ { "prefix": "" } ] } } }""")));
        Assert.StartsWith("stats_config.stats_matcher.inclusion_list.patterns[0].prefix: ", e.Message);
    }

    [Fact]
    public void CustomRegexAndFixedTagsBecomeLabels()
    {
        var store = new StatsStore(Parse("""
            { "stats_tags": [
                { "tag_name": "team", "fixed_value": "edge" },
                { "tag_name": "my.method", "regex": "^http\\.[^.]+\\.method\\.((\\w+)\\.)" } ] }
            """));
        store.Counter("http.ingress.method.GET.rq").Inc();
        store.Counter("cluster.c1.upstream_rq_200").Add(2);
        var text = PrometheusStatsRenderer.Render(store, new StatsSelection(), false);
        Assert.Contains("envoy_cluster_upstream_rq{envoy_response_code=\"200\",team=\"edge\",envoy_cluster_name=\"c1\"} 2\n", text);
        Assert.Contains("envoy_http_method_rq{team=\"edge\",envoy_http_conn_manager_prefix=\"ingress\",my_method=\"GET\"} 1\n", text);
    }

    [Fact]
    public void WithoutDefaultTagsOnlyNamedDefaultsApply()
    {
        var store = new StatsStore(Parse("""
            { "use_all_default_tags": false, "stats_tags": [ { "tag_name": "envoy.cluster_name" } ] }
            """));
        var tagged = store.TagExtractor.Extract("cluster.c1.upstream_rq_200");
        Assert.Equal("cluster.upstream_rq_200", tagged.ExtractedName);
        Assert.Equal([new("envoy.cluster_name", "c1")], tagged.Tags);
        var none = new StatsStore(Parse("""{ "use_all_default_tags": false }""")).TagExtractor.Extract("cluster.c1.upstream_rq_200");
        Assert.Equal("cluster.c1.upstream_rq_200", none.ExtractedName);
        Assert.Empty(none.Tags);
    }

    [Fact]
    public void UnknownTagWithoutRegexIsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => new StatsStore(Parse("""{ "stats_tags": [ { "tag_name": "nope" } ] }""")));
        Assert.Equal("stats_config.stats_tags[0]: No regex specified for tag specifier and no default regex for name: 'nope'", e.Message);
    }

    [Fact]
    public void CommandLineTagsComeFirstAmongUnprefixedTags()
    {
        var tags = TagExtractor.Create(null, [new("region", "eu")]);
        var tagged = tags.Extract("http.ingress.downstream_rq_2xx");
        Assert.Equal("http.downstream_rq_xx", tagged.ExtractedName);
        Assert.Equal("envoy.response_code_class=2,region=eu,envoy.http_conn_manager_prefix=ingress",
            string.Join(",", tagged.Tags.Select(t => t.Key + "=" + t.Value)));
        Assert.Equal("region=eu", string.Join(",", tags.Extract("server.live").Tags.Select(t => t.Key + "=" + t.Value)));
    }
}
