using BenchmarkDotNet.Attributes;
using Legate.Stats;

namespace Legate.Benchmarks;

/// <summary>The per-request stat updates: handles resolved once, then one interlocked operation each.</summary>
[MemoryDiagnoser]
public class StatsBenchmarks
{
    private Counter _counter = null!;
    private Gauge _gauge = null!;
    private Histogram _histogram = null!;

    [GlobalSetup]
    public void Setup()
    {
        var scope = new StatsStore().Scope("cluster.bench.");
        _counter = scope.Counter("upstream_rq_total");
        _gauge = scope.Gauge("upstream_rq_active");
        _histogram = scope.Histogram("upstream_rq_time");
    }

    [Benchmark(Baseline = true)]
    public void CounterInc() => _counter.Inc();

    [Benchmark]
    public void GaugeIncDec()
    {
        _gauge.Inc();
        _gauge.Dec();
    }

    [Benchmark]
    public void HistogramRecord() => _histogram.Record(3.7);
}
