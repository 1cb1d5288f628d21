using Legate.Config;
using Legate.Stats;
using static Legate.Tests.Upstream.UpstreamTestConfig;
using ClusterConfig = Envoy.Config.Cluster.V3.Cluster;

namespace Legate.Tests.Upstream;

/// <summary>Many clusters at once: batch publication, the snapshot's overlay, and the per-cluster footprint.</summary>
public class ClusterBatchTests
{
    [Fact]
    public void AddOrUpdateClustersPublishesEveryClusterAndCountsEachAdd()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var configs = new List<ClusterConfig>();
        for (var i = 0; i < 500; i++)
        {
            configs.Add(Static("c" + i, "ROUND_ROBIN", Ep("127.0.0.1", port: 1000 + i)));
        }

        manager.AddOrUpdateClusters(configs, "static_resources.clusters");

        Assert.Equal(500, manager.Clusters.Count);
        for (var i = 0; i < 500; i++)
        {
            var cluster = manager.Get("c" + i);
            Assert.NotNull(cluster);
            Assert.Equal("static_resources.clusters[" + i + "]", cluster.Path);
            Assert.Single(cluster.PrioritySet.Hosts);
        }
        Assert.Equal(500, stats.Counter("cluster_manager.cluster_added").Value);
        Assert.Equal(0, stats.Counter("cluster_manager.cluster_modified").Value);
        Assert.Equal(500, stats.Gauge("cluster_manager.active_clusters").Value);
    }

    [Fact]
    public void ABadClusterInTheListPublishesNone()
    {
        using var manager = Manager();
        var configs = new List<ClusterConfig>
        {
            Static("good", "ROUND_ROBIN", Ep("127.0.0.1")),
            Cluster("""{"name":"bad","type":"STATIC","connect_timeout":"0s"}"""),
        };

        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateClusters(configs, "static_resources.clusters"));

        Assert.Equal("static_resources.clusters[1].connect_timeout", e.FieldPath);
        Assert.Empty(manager.Clusters);
        Assert.Null(manager.Get("good"));
    }

    [Fact]
    public void SnapshotStaysConsistentThroughManySingleAddsReplacementsAndRemovals()
    {
        // Enough single changes to fold the overlay into the frozen base several times.
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var first = new Dictionary<string, Legate.Upstream.UpstreamCluster>();
        for (var i = 0; i < 300; i++)
        {
            first["c" + i] = manager.AddOrUpdateCluster(Static("c" + i, "ROUND_ROBIN", Ep("127.0.0.1", port: 1)), "c[" + i + "]");
        }
        for (var i = 0; i < 300; i += 3)
        {
            var replacement = manager.AddOrUpdateCluster(Static("c" + i, "RANDOM", Ep("127.0.0.1", port: 2)), "c[" + i + "]");
            Assert.NotSame(first["c" + i], replacement);
            Assert.Same(replacement, manager.Get("c" + i));
        }
        for (var i = 1; i < 300; i += 3)
        {
            Assert.True(manager.RemoveCluster("c" + i));
            Assert.False(manager.RemoveCluster("c" + i));
        }

        Assert.Equal(200, manager.Clusters.Count);
        Assert.Equal(200, stats.Gauge("cluster_manager.active_clusters").Value);
        Assert.Equal(100, stats.Counter("cluster_manager.cluster_modified").Value);
        Assert.Equal(100, stats.Counter("cluster_manager.cluster_removed").Value);
        var names = new HashSet<string>();
        foreach (var cluster in manager.Clusters)
        {
            Assert.True(names.Add(cluster.Name));
        }
        for (var i = 0; i < 300; i++)
        {
            var cluster = manager.Get("c" + i);
            switch (i % 3)
            {
                case 0:
                    Assert.Equal("envoy.load_balancing_policies.random", cluster!.LbPolicyName);
                    break;
                case 1:
                    Assert.Null(cluster);
                    break;
                default:
                    Assert.Same(first["c" + i], cluster);
                    break;
            }
        }
    }

    [Fact]
    public void RemoveClustersReturnsOnlyTheNamesThatExisted()
    {
        using var manager = Manager();
        manager.AddOrUpdateClusters([Static("a", "ROUND_ROBIN", Ep("127.0.0.1")), Static("b", "ROUND_ROBIN", Ep("127.0.0.1"))], "clusters");

        var removed = manager.RemoveClusters(["a", "missing", "b"]);

        Assert.Equal(["a", "b"], removed);
        Assert.Empty(manager.Clusters);
    }

    [Fact]
    public void AnIdleClusterHasNoHttpClientAndNoStatusCodeCacheUntilUsed()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var cluster = manager.AddOrUpdateCluster(Static("idle", "ROUND_ROBIN", Ep("127.0.0.1")), "clusters[0]");

        Assert.Null(typeof(Legate.Upstream.UpstreamCluster).GetField("_invoker", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(cluster));
        var invoker = cluster.Invoker;
        Assert.Same(invoker, cluster.Invoker);

        cluster.Stats.RecordResponse(503);
        Assert.Equal(1, stats.Counter("cluster.idle.upstream_rq_503").Value);
        Assert.Equal(1, stats.Counter("cluster.idle.upstream_rq_5xx").Value);
        Assert.Same(cluster.Stats.UpstreamRqCode(503), cluster.Stats.UpstreamRqCode(503));
    }

    [Fact]
    public void ClusterStatsListTheMaintainedStatsAndCircuitBreakersButNotUnusedTrafficStats()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        manager.AddOrUpdateCluster(Static("s", "ROUND_ROBIN", Ep("127.0.0.1")), "clusters[0]");

        var names = new HashSet<string>();
        foreach (var c in stats.Counters)
        {
            names.Add(c.Name);
        }
        foreach (var g in stats.Gauges)
        {
            names.Add(g.Name);
        }
        Assert.Contains("cluster.s.upstream_rq_total", names);
        Assert.Contains("cluster.s.upstream_cx_rx_bytes_buffered", names);
        Assert.Contains("cluster.s.circuit_breakers.default.rq_pending_open", names);
        Assert.Contains("cluster.s.circuit_breakers.high.cx_open", names);
        Assert.DoesNotContain("cluster.s.upstream_rq_retry", names);
        Assert.DoesNotContain("cluster.s.lb_zone_routing_sampled", names);
    }
}
