using BenchmarkDotNet.Attributes;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Legate.Formatting;
using Legate.Http;
using Legate.Router;
using Microsoft.AspNetCore.Http;

namespace Legate.Benchmarks;

/// <summary>
/// One request's request-header mutations (route config, virtual host and route levels: two appends, an
/// overwrite, a %REQ()% value, a remove). Apply mutates, so every operation starts from fresh headers;
/// <see cref="FreshHeadersOnly"/> is that setup cost alone.
/// </summary>
[MemoryDiagnoser]
public class HeaderMutationBenchmarks
{
    private HeaderMutationSet _mutations = null!;
    private StreamInfo _streamInfo = null!;
    private RequestLine _requestLine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var route = new Route
        {
            Match = new RouteMatch { Prefix = "/" },
            Route_ = new RouteAction { Cluster = "c" },
            RequestHeadersToAdd =
            {
                Header("x-route", "bench", HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd),
                Header("x-user-agent-copy", "%REQ(user-agent)%", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd),
            },
            RequestHeadersToRemove = { "x-remove-me" },
        };
        var config = new RouteConfiguration
        {
            Name = "bench",
            RequestHeadersToAdd = { Header("x-config", "1", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd) },
            VirtualHosts =
            {
                new VirtualHost
                {
                    Name = "bench",
                    Domains = { "*" },
                    Routes = { route },
                    RequestHeadersToAdd = { Header("x-vhost", "bench", HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent) },
                },
            },
        };
        var table = RouteTable.Build(config, RouteTables.BuildContext, "route_config");
        var entry = table.Match(RouteTables.Request("/x"), out _) ?? throw new InvalidOperationException("no route");
        _mutations = entry.RequestHeaderMutations;
        _streamInfo = new StreamInfo { Protocol = "HTTP/1.1", StartTime = DateTimeOffset.UtcNow };
        _requestLine = new RequestLine("GET", "/x", "bench.local", "http");
    }

    [Benchmark(Baseline = true)]
    public IHeaderDictionary FreshHeadersOnly() => FreshHeaders();

    [Benchmark]
    public IHeaderDictionary ApplyRequestMutations()
    {
        var headers = FreshHeaders();
        _mutations.Apply(headers, new FormatContext(_streamInfo, headers) { Request = _requestLine });
        return headers;
    }

    private static HeaderDictionary FreshHeaders() => new()
    {
        ["user-agent"] = "wrk/4.1",
        ["accept"] = "*/*",
        ["x-remove-me"] = "1",
        ["x-forwarded-for"] = "10.0.0.1",
        ["x-request-id"] = "5b6f3c2e-8a4d-4c21-9e0f-0123456789ab",
    };

    private static HeaderValueOption Header(string key, string value, HeaderValueOption.Types.HeaderAppendAction action) =>
        new() { Header = new HeaderValue { Key = key, Value = value }, AppendAction = action };
}
