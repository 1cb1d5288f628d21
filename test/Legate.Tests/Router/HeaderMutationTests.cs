using Legate.Config;
using Legate.Formatting;
using Legate.Http;
using Legate.Router;
using Microsoft.AspNetCore.Http;

namespace Legate.Tests.Router;

public class HeaderMutationTests
{
    private static FormatContext Context(IHeaderDictionary headers) => new(new StreamInfo(), headers);

    private static string[] Values(Microsoft.Extensions.Primitives.StringValues values) => Array.ConvertAll(values.ToArray(), v => v ?? string.Empty);

    private static RouteTable Layered(bool mostSpecificWins) => RouteTestSupport.Build($$$$"""
        {"name":"rc","most_specific_header_mutations_wins":{{{{(mostSpecificWins ? "true" : "false")}}}},
         "request_headers_to_add":[{"header":{"key":"x-level","value":"config"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"},
                                   {"header":{"key":"x-trail","value":"config"}}],
         "response_headers_to_add":[{"header":{"key":"x-level","value":"config"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"}],
         "virtual_hosts":[{"name":"vh","domains":["*"],
           "request_headers_to_add":[{"header":{"key":"x-level","value":"vhost"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"},
                                     {"header":{"key":"x-trail","value":"vhost"}}],
           "routes":[{"match":{"prefix":"/"},
             "request_headers_to_add":[{"header":{"key":"x-level","value":"route"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"},
                                       {"header":{"key":"x-trail","value":"route"}}],
             "response_headers_to_add":[{"header":{"key":"x-level","value":"route"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"}],
             "route":{"weighted_clusters":{"clusters":[{"name":"a","weight":1,
               "request_headers_to_add":[{"header":{"key":"x-trail","value":"weighted"}}]}]}}}]}]}
        """);

    [Fact]
    public void DefaultOrderLetsTheRouteConfigWin()
    {
        var route = Layered(false).Match(RouteTestSupport.Request("/"), out _)!;
        route.ClusterFor(RouteTestSupport.Request("/"), out var weighted);
        var headers = new HeaderDictionary();
        weighted!.RequestHeaderMutations.Apply(headers, Context(headers));
        route.RequestHeaderMutations.Apply(headers, Context(headers));
        Assert.Equal("config", headers["x-level"].ToString());
        Assert.Equal(["weighted", "route", "vhost", "config"], Values(headers["x-trail"]));
        Assert.Equal(3, route.RequestHeaderMutations.LevelCount);

        var response = new HeaderDictionary();
        route.ResponseHeaderMutations.Apply(response, Context(response));
        Assert.Equal("config", response["x-level"].ToString());
    }

    [Fact]
    public void MostSpecificWinsLetsTheRouteWin()
    {
        var route = Layered(true).Match(RouteTestSupport.Request("/"), out _)!;
        var headers = new HeaderDictionary();
        route.RequestHeaderMutations.Apply(headers, Context(headers));
        Assert.Equal("route", headers["x-level"].ToString());
        Assert.Equal(["config", "vhost", "route"], Values(headers["x-trail"]));
    }

    private static IHeaderDictionary ApplyRoute(string headersToAdd, string headersToRemove = "[]", params (string, string)[] existing)
    {
        var table = RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"route":{"cluster":"c"},"request_headers_to_add":""" + headersToAdd +
                                                  ""","request_headers_to_remove":""" + headersToRemove + "}");
        var headers = new HeaderDictionary();
        foreach (var (name, value) in existing)
        {
            headers.Append(name, value);
        }
        table.Match(RouteTestSupport.Request("/"), out _)!.RequestHeaderMutations.Apply(headers, Context(headers));
        return headers;
    }

    [Fact]
    public void AppendActions()
    {
        Assert.Equal(["old", "new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"}}]""", existing: ("x", "old"))["x"]));
        Assert.Equal(["old"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append_action":"ADD_IF_ABSENT"}]""", existing: ("x", "old"))["x"]));
        Assert.Equal(["new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append_action":"ADD_IF_ABSENT"}]""")["x"]));
        Assert.Equal(["new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"}]""", existing: ("x", "old"))["x"]));
        Assert.Equal(["new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append_action":"OVERWRITE_IF_EXISTS_OR_ADD"}]""")["x"]));
        Assert.Equal(["new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append_action":"OVERWRITE_IF_EXISTS"}]""", existing: ("x", "old"))["x"]));
        Assert.False(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append_action":"OVERWRITE_IF_EXISTS"}]""").ContainsKey("x"));
        // Deprecated append: false overwrites; true appends.
        Assert.Equal(["new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append":false}]""", existing: ("x", "old"))["x"]));
        Assert.Equal(["old", "new"], Values(ApplyRoute("""[{"header":{"key":"x","value":"new"},"append":true}]""", existing: ("x", "old"))["x"]));
    }

    [Fact]
    public void ConditionsAreEvaluatedBeforeAnyHeaderIsWritten()
    {
        // Both see "x" absent, so both are added (Envoy evaluates the whole level first).
        var headers = ApplyRoute("""[{"header":{"key":"x","value":"a"}},{"header":{"key":"x","value":"b"},"append_action":"ADD_IF_ABSENT"}]""");
        Assert.Equal(["a", "b"], Values(headers["x"]));
    }

    [Fact]
    public void RemoveRunsBeforeAddAndEmptyValuesAreSkipped()
    {
        var headers = ApplyRoute("""[{"header":{"key":"x-new","value":"1"}},{"header":{"key":"x-empty","value":""}}]""", """["x-old","X-New"]""",
            ("x-old", "gone"), ("x-new", "old"));
        Assert.False(headers.ContainsKey("x-old"));
        Assert.Equal(["1"], Values(headers["x-new"]));
        Assert.False(headers.ContainsKey("x-empty"));
    }

    [Fact]
    public void FormattedValuesReadTheRequest()
    {
        var headers = ApplyRoute("""[{"header":{"key":"x-copy","value":"v=%REQ(x-src)% 100%%"}}]""", existing: ("x-src", "abc"));
        Assert.Equal("v=abc 100%", headers["x-copy"].ToString());
    }

    [Fact]
    public void BadFormatNamesTheValueField()
    {
        var error = Assert.Throws<ConfigException>(() => ApplyRoute("""[{"header":{"key":"x","value":"%NOPE%"}}]"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].request_headers_to_add[0].header.value", error.FieldPath);
    }

    [Theory]
    [InlineData(":path")]
    [InlineData("Host")]
    [InlineData(":authority")]
    public void PseudoHeadersAndHostCannotBeModified(string name)
    {
        var add = Assert.Throws<ConfigException>(() => ApplyRoute("""[{"header":{"key":""" + "\"" + name + "\"" + ""","value":"v"}}]"""));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].request_headers_to_add[0].header.key", add.FieldPath);
        Assert.Equal(":-prefixed or host headers may not be modified", add.Detail);
        var remove = Assert.Throws<ConfigException>(() => ApplyRoute("[]", "[\"" + name + "\"]"));
        Assert.Equal("route_config.virtual_hosts[0].routes[0].request_headers_to_remove[0]", remove.FieldPath);
    }

    [Fact]
    public void AppendAndAppendActionConflict()
    {
        var error = Assert.Throws<ConfigException>(() =>
            ApplyRoute("""[{"header":{"key":"x","value":"v"},"append":true,"append_action":"ADD_IF_ABSENT"}]"""));
        Assert.Equal("Both append and append_action are set and it's not allowed", error.Detail);
    }

    [Fact]
    public void KeepEmptyValue()
    {
        var table = RouteTestSupport.BuildRoutes("""
            {"match":{"prefix":"/"},"route":{"cluster":"c"},"response_headers_to_add":[{"header":{"key":"x-empty","value":""},"keep_empty_value":true,
              "append_action":"OVERWRITE_IF_EXISTS_OR_ADD"}]}
            """);
        var recorder = new RecordingHeaders();
        table.Match(RouteTestSupport.Request("/"), out _)!.ResponseHeaderMutations.Apply(recorder, Context(recorder));
        Assert.Equal(["x-empty="], recorder.Writes);
    }

    [Fact]
    public void NoMutationsIsEmpty()
    {
        var route = RouteTestSupport.BuildRoutes("""{"match":{"prefix":"/"},"route":{"cluster":"c"}}""").Match(RouteTestSupport.Request("/"), out _)!;
        Assert.True(route.RequestHeaderMutations.IsEmpty);
        Assert.True(route.ResponseHeaderMutations.IsEmpty);
    }

    /// <summary>HeaderDictionary drops empty values; this records what was written through the interface.</summary>
    private sealed class RecordingHeaders : HeaderDictionary, IHeaderDictionary
    {
        public List<string> Writes { get; } = [];

        Microsoft.Extensions.Primitives.StringValues IHeaderDictionary.this[string key]
        {
            get => this[key];
            set
            {
                Writes.Add(key + "=" + value);
                this[key] = value;
            }
        }
    }
}
