using Legate.Stats;
using Legate.Stats.Rendering;

namespace Legate.Tests.Admin;

public sealed class StatsRenderingTests
{
    [Theory]
    [InlineData("cluster.foo.upstream_rq_200", "cluster.upstream_rq", "envoy.response_code=200,envoy.cluster_name=foo")]
    [InlineData("http.ingress.downstream_rq_2xx", "http.downstream_rq_xx", "envoy.response_code_class=2,envoy.http_conn_manager_prefix=ingress")]
    [InlineData("listener.0.0.0.0_10000.downstream_cx_total", "listener.downstream_cx_total", "envoy.listener_address=0.0.0.0_10000")]
    [InlineData("listener.0.0.0.0_10000.http.ingress.downstream_rq_5xx", "listener.http.downstream_rq_xx", "envoy.response_code_class=5,envoy.http_conn_manager_prefix=ingress,envoy.listener_address=0.0.0.0_10000")]
    [InlineData("listener.admin.downstream_cx_total", "listener.admin.downstream_cx_total", "")]
    [InlineData("server.live", "server.live", "")]
    [InlineData("tcp.db.downstream_cx_total", "tcp.downstream_cx_total", "envoy.tcp_prefix=db")]
    [InlineData("listener.edge.downstream_cx_total", "listener.downstream_cx_total", "envoy.listener_address=edge")]
    [InlineData("listener.127.0.0.1_80.worker_0.downstream_cx_total", "listener.worker_downstream_cx_total", "envoy.worker_id=0,envoy.listener_address=127.0.0.1_80")]
    [InlineData("vhost.vh.vcluster.vc.upstream_rq_503", "vhost.vcluster.upstream_rq", "envoy.response_code=503,envoy.virtual_cluster=vc,envoy.virtual_host=vh")]
    [InlineData("http.ingress.rds.local_route.config_reload", "http.rds.config_reload", "envoy.rds_route_config=local_route,envoy.http_conn_manager_prefix=ingress")]
    public void DefaultTagExtraction(string name, string extracted, string tags)
    {
        var result = TagExtractor.Default.Extract(name);
        Assert.Equal(extracted, result.ExtractedName);
        Assert.Equal(tags, string.Join(",", result.Tags.Select(t => t.Key + "=" + t.Value)));
    }

    [Fact]
    public void PrometheusGroupsFamiliesAndWritesHistogramBuckets()
    {
        var store = new StatsStore();
        store.Counter("cluster.a.upstream_rq_200").Add(3);
        store.Counter("cluster.b.upstream_rq_200").Add(1);
        store.Counter("cluster.a-b.upstream_rq_503").Inc();
        var h = store.Histogram("cluster.a.upstream_rq_time");
        h.Record(3);
        h.Record(700);
        var text = PrometheusStatsRenderer.Render(store, new StatsSelection(), textReadouts: false);
        Assert.StartsWith(
            "# TYPE envoy_cluster_upstream_rq counter\n" +
            "envoy_cluster_upstream_rq{envoy_response_code=\"200\",envoy_cluster_name=\"a\"} 3\n" +
            "envoy_cluster_upstream_rq{envoy_response_code=\"503\",envoy_cluster_name=\"a-b\"} 1\n" +
            "envoy_cluster_upstream_rq{envoy_response_code=\"200\",envoy_cluster_name=\"b\"} 1\n\n" +
            "# TYPE envoy_cluster_upstream_rq_time histogram\n" +
            "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"a\",le=\"0.5\"} 0\n" +
            "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"a\",le=\"1\"} 0\n" +
            "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"a\",le=\"5\"} 1\n", text);
        Assert.Contains("envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"a\",le=\"1000\"} 2\n", text);
        Assert.Contains("envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"a\",le=\"+Inf\"} 2\n" +
            "envoy_cluster_upstream_rq_time_sum{envoy_cluster_name=\"a\"} 703\n" +
            "envoy_cluster_upstream_rq_time_count{envoy_cluster_name=\"a\"} 2\n", text);
    }

    [Fact]
    public void TextShowsReadoutsNumbersAndHistograms()
    {
        var store = new StatsStore();
        store.TextReadout("cluster.a.version_text").Value = "v1";
        store.Gauge("b.gauge").Set(2);
        store.Counter("a.counter").Inc();
        store.Histogram("c.unused");
        var text = StatsTextRenderer.Render(store, new StatsSelection(), null);
        Assert.Equal("cluster.a.version_text: \"v1\"\na.counter: 1\nb.gauge: 2\nc.unused: No recorded values\n", text);
        Assert.Equal("a.counter: 1\n", StatsTextRenderer.Render(store, new StatsSelection { UsedOnly = true, Type = StatTypeFilter.Counters }, null));
    }

    [Fact]
    public void QuantilesInterpolateInsideBuckets()
    {
        var buckets = new long[Histogram.DefaultBuckets.Length + 1];
        buckets[2] = 4; // four samples in (1, 5]
        var q = HistogramQuantiles.Compute(buckets);
        Assert.Equal(1, q[0]);
        Assert.Equal(3, q[2]);
        Assert.Equal(5, q[^1]);
        Assert.All(HistogramQuantiles.Compute(new long[buckets.Length]), v => Assert.True(double.IsNaN(v)));
    }
}
