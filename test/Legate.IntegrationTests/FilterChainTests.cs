using System.Net;
using System.Net.Http.Json;
using Google.Protobuf;
using ExtensionRegistry = Legate.Extensions.ExtensionRegistry;
using Legate.Http;
using Legate.IntegrationTests.Support;
using Microsoft.AspNetCore.Http;

namespace Legate.IntegrationTests;

/// <summary>
/// A chain of C# filters before the router: each runs in order, a filter that suspends is resumed before the
/// next one runs, and a filter that stops the chain keeps the rest (and the upstream) from seeing the request.
/// </summary>
public sealed class FilterChainTests(FilterChainTests.Proxy proxy) : IClassFixture<FilterChainTests.Proxy>
{
    [Theory]
    [InlineData("/echo")]
    [InlineData("/echo?sync")]
    public async Task Filters_run_in_order_whether_they_suspend_or_not(string path)
    {
        var reply = await proxy.Client.GetFromJsonAsync<EchoReply>(path, EchoReply.JsonOptions);

        Assert.Equal("first,second", reply!.Headers["x-filters"]);
    }

    [Theory]
    [InlineData("first")]
    [InlineData("second")]
    public async Task A_filter_that_stops_after_suspending_answers_and_nothing_after_it_runs(string filter)
    {
        var before = proxy.Upstream.Requests;

        using var response = await proxy.Client.GetAsync("/stop/" + filter);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("stopped by " + filter, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, proxy.Upstream.Requests);
    }

    /// <summary>Appends its name to x-filters; suspends first unless the query says ?sync; stops on /stop/{name}.</summary>
    private sealed class StepFilter(string name) : IHttpFilter
    {
        public async ValueTask<FilterStatus> OnRequestAsync(HttpStream stream)
        {
            if (!stream.Path.EndsWith("?sync", StringComparison.Ordinal))
            {
                await Task.Yield();
            }
            if (stream.Path == "/stop/" + name)
            {
                await stream.SendLocalReplyAsync(StatusCodes.Status429TooManyRequests, "stopped by " + name, ResponseFlags.None, "test_stop");
                return FilterStatus.StopIteration;
            }
            var headers = stream.Context.Request.Headers;
            headers["x-filters"] = headers.TryGetValue("x-filters", out var seen) ? seen + "," + name : name;
            return FilterStatus.Continue;
        }
    }

    private sealed class StepFilterFactory(string name) : IHttpFilterFactory
    {
        public string Name => "test." + name;

        public string Category => "envoy.filters.http";

        // Found by name (no typed_config); the type name only has to be distinct per factory.
        public string ConfigTypeName => "test." + name + ".Config";

        public MessageParser ConfigParser => Google.Protobuf.WellKnownTypes.Empty.Parser;

        public bool IsTerminal => false;

        public IHttpFilter Create(IMessage config, HttpFilterContext context, string path) => new StepFilter(name);
    }

    public sealed class Proxy : EchoProxyFixture
    {
        protected override Task<LegateHost> StartLegateAsync(TestUpstream upstream)
        {
            var extensions = ExtensionRegistry.CreateDefault();
            extensions.Register(new StepFilterFactory("first"));
            extensions.Register(new StepFilterFactory("second"));
            var yaml = ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo"), [ConfigYaml.StaticCluster("echo", upstream.Port)]);
            const string filters = "          http_filters:\n";
            Assert.Contains(filters, yaml, StringComparison.Ordinal);
            yaml = yaml.Replace(filters, filters + "          - name: test.first\n          - name: test.second\n", StringComparison.Ordinal);
            return LegateHost.StartAsync(yaml, extensions: extensions);
        }
    }
}
