using BenchmarkDotNet.Attributes;
using Legate.Router;

namespace Legate.Benchmarks;

/// <summary>RouteTable.Match with the matched route last: the worst case of Envoy's linear route scan.</summary>
[MemoryDiagnoser]
public class RouteMatchBenchmarks
{
    private RouteTable _table = null!;
    private RouteRequest _request;

    [Params(10, 1_000, 10_000)]
    public int Routes { get; set; }

    [Params("prefix", "regex")]
    public string Kind { get; set; } = "prefix";

    [GlobalSetup]
    public void Setup()
    {
        _table = RouteTables.Routes(Routes, Kind == "regex");
        _request = RouteTables.Request("/r" + (Routes - 1) + "/abc");
        if (_table.Match(_request, out _) is null)
        {
            throw new InvalidOperationException("the last route did not match");
        }
    }

    [Benchmark]
    public RouteEntry? MatchLastRoute() => _table.Match(_request, out _);
}
