using Legate.Stats;
using Legate.Stats.Rendering;

namespace Legate.Tests.Stats;

public sealed class HistogramRenderingTests
{
    [Fact]
    public void TextSummaryShowsIntervalAndCumulativeQuantiles()
    {
        var store = new StatsStore();
        var h = store.Histogram("cluster.a.upstream_rq_time");
        var intervals = new HistogramIntervals();
        for (var i = 0; i < 4; i++)
        {
            h.Record(3); // all in (1, 5]
        }

        // Before any flush the interval is empty: Envoy prints nan.
        Assert.Equal(
            "cluster.a.upstream_rq_time: P0(nan,1) P25(nan,2) P50(nan,3) P75(nan,4) P90(nan,4.6) P95(nan,4.8) P99(nan,4.96) P99.5(nan,4.98) P99.9(nan,4.996) P100(nan,5)\n",
            StatsTextRenderer.Render(store, new StatsSelection(), intervals));

        intervals.Flush(store);
        h.Record(700);
        var text = StatsTextRenderer.Render(store, new StatsSelection(), intervals);
        Assert.StartsWith("cluster.a.upstream_rq_time: P0(1,1) P25(2,", text);

        intervals.Flush(store);
        text = StatsTextRenderer.Render(store, new StatsSelection(), intervals);
        Assert.StartsWith("cluster.a.upstream_rq_time: P0(500,1) ", text);
        Assert.EndsWith(" P100(1000,1000)\n", text);
    }

    [Fact]
    public void TextBucketModesPrintEnvoysBucketSummary()
    {
        var store = new StatsStore();
        var h = store.Histogram("h");
        h.Record(0.2);
        h.Record(3);
        h.Record(3);
        h.Record(4_000_000);
        var cumulative = StatsTextRenderer.Render(store, new StatsSelection { HistogramBuckets = HistogramBucketsMode.Cumulative }, new HistogramIntervals());
        Assert.Equal(
            "h: B0.5(0,1) B1(0,1) B5(0,3) B10(0,3) B25(0,3) B50(0,3) B100(0,3) B250(0,3) B500(0,3) B1000(0,3) B2500(0,3) B5000(0,3) "
            + "B10000(0,3) B30000(0,3) B60000(0,3) B300000(0,3) B600000(0,3) B1.8e+06(0,3) B3.6e+06(0,3)\n", cumulative);
        var disjoint = StatsTextRenderer.Render(store, new StatsSelection { HistogramBuckets = HistogramBucketsMode.Disjoint }, null);
        Assert.StartsWith("h: B0.5(0,1) B1(0,0) B5(0,2) B10(0,0) ", disjoint);
    }

    [Fact]
    public void JsonWritesCumulativeThenIntervalWithNullForEmpty()
    {
        var store = new StatsStore();
        store.Counter("c").Add(2);
        store.Histogram("h").Record(3);
        var json = StatsJsonRenderer.Render(store, new StatsSelection(), new HistogramIntervals());
        Assert.StartsWith(
            "{\"stats\":[{\"name\":\"c\",\"value\":2},{\"histograms\":{\"supported_quantiles\":[0,25,50,75,90,95,99,99.5,99.9,100],"
            + "\"computed_quantiles\":[{\"name\":\"h\",\"values\":[{\"cumulative\":1,\"interval\":null},", json);
        Assert.EndsWith("{\"cumulative\":5,\"interval\":null}]}]}}]}", json);
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(1000, "1000")]
    [InlineData(300000, "300000")]
    [InlineData(1800000, "1.8e+06")]
    [InlineData(3600000, "3.6e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    public void GeneralFormatMatchesPrintfG(double value, string expected) =>
        Assert.Equal(expected, StatNumberFormat.General(value));
}
