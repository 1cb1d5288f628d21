using Legate.Stats;

namespace Legate.Tests.Stats;

/// <summary>The request path's promise: updating a resolved handle allocates nothing, takes no lock and loses no update.</summary>
public sealed class HotPathTests
{
    [Fact]
    public void UpdatingHandlesAllocatesNothing()
    {
        var store = new StatsStore(new Envoy.Config.Metrics.V3.StatsConfig
        {
            StatsMatcher = new Envoy.Config.Metrics.V3.StatsMatcher
            {
                ExclusionList = new Envoy.Type.Matcher.V3.ListStringMatcher { Patterns = { new Envoy.Type.Matcher.V3.StringMatcher { Prefix = "rejected." } } },
            },
        });
        var counter = store.Counter("cluster.a.upstream_rq_total");
        var gauge = store.Gauge("cluster.a.upstream_rq_active");
        var histogram = store.Histogram("cluster.a.upstream_rq_time");
        var text = store.TextReadout("cluster.a.version_text");
        var rejectedCounter = store.Counter("rejected.counter");
        var rejectedHistogram = store.Histogram("rejected.histogram");
        var value = "v1";

        // Warm up so JIT and tiering allocations are not counted.
        Exercise(counter, gauge, histogram, text, rejectedCounter, rejectedHistogram, value, 1000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Exercise(counter, gauge, histogram, text, rejectedCounter, rejectedHistogram, value, 100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(101_000, counter.Value);
        Assert.Equal(101_000, histogram.SampleCount);
        Assert.Equal(0, rejectedCounter.Value);
    }

    private static void Exercise(Counter c, Gauge g, Histogram h, TextReadout t, Counter rc, Histogram rh, string value, int n)
    {
        for (var i = 0; i < n; i++)
        {
            c.Inc();
            g.Inc();
            g.Dec();
            g.Set(i);
            h.Record(i % 5000);
            t.Value = value;
            rc.Inc();
            rh.Record(i);
        }
    }

    [Fact]
    public void ParallelUpdatesAreNotLost()
    {
        var store = new StatsStore();
        var counter = store.Counter("http.ingress.downstream_rq_total");
        var gauge = store.Gauge("http.ingress.downstream_rq_active");
        var histogram = store.Histogram("http.ingress.downstream_rq_time");
        const int threads = 8;
        const int perThread = 200_000;
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < perThread; i++)
                {
                    counter.Inc();
                    gauge.Inc();
                    histogram.Record(i % 100);
                    gauge.Dec();
                }
            });
            workers[t].Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.Equal(threads * perThread, counter.Value);
        Assert.Equal(0, gauge.Value);
        Assert.Equal(threads * perThread, histogram.SampleCount);
        Assert.Equal(threads * perThread, histogram.SnapshotBuckets().Sum());
        // Sum of 0..99 per 100 samples, exact because the values are whole milliseconds.
        Assert.Equal(threads * (perThread / 100) * 4950.0, histogram.SampleSum);
    }

    [Fact]
    public void LookupsReturnTheSameHandle()
    {
        var store = new StatsStore();
        Assert.Same(store.Counter("a.b"), store.Scope("a").Counter("b"));
        Assert.Same(store.Histogram("a.h"), store.Scope("a.").Histogram("h"));
    }
}
