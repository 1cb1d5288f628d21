using BenchmarkDotNet.Attributes;
using Legate.Router;

namespace Legate.Benchmarks;

/// <summary>Virtual host lookup among 1,000 exact + 1,000 suffix-wildcard domains and a default.</summary>
[MemoryDiagnoser]
public class VirtualHostBenchmarks
{
    private RouteTable _table = null!;

    [GlobalSetup]
    public void Setup() => _table = RouteTables.VirtualHosts(1_000);

    [Benchmark(Baseline = true)]
    public VirtualHostEntry? Exact() => _table.FindVirtualHost("vh999.bench.local");

    [Benchmark]
    public VirtualHostEntry? ExactUpperCase() => _table.FindVirtualHost("VH999.Bench.Local");

    [Benchmark]
    public VirtualHostEntry? SuffixWildcard() => _table.FindVirtualHost("api.wild999.bench.local");

    [Benchmark]
    public VirtualHostEntry? FallsToDefault() => _table.FindVirtualHost("unknown.example.com");
}
