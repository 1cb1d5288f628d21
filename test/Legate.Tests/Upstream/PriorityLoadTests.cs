using Legate.Stats;
using Legate.Upstream;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

public class PriorityLoadTests
{
    [Fact]
    public void AllTrafficGoesToPriorityZeroWhileItIsHealthy()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("p", "ROUND_ROBIN", Ep("10.0.0.1"), Ep("10.0.0.2"), Ep("10.0.1.1", priority: 1)), "c");
        Assert.Equal([100, 0], cluster.PrioritySet.HealthyPriorityLoad);
        var counts = LoadBalancerTests.Pick(cluster, 1000);
        Assert.False(counts.ContainsKey("10.0.1.1:80"));
    }

    [Fact]
    public void FailsOverToPriorityOneWhenPriorityZeroHasNoHealthyHost()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("p", "ROUND_ROBIN",
            Ep("10.0.0.1", health: "UNHEALTHY"), Ep("10.0.0.2", health: "DRAINING"), Ep("10.0.1.1", priority: 1)), "c");
        Assert.Equal([0, 100], cluster.PrioritySet.HealthyPriorityLoad);
        Assert.Equal([false, false], cluster.PrioritySet.PanicPerPriority);
        var counts = LoadBalancerTests.Pick(cluster, 500);
        Assert.Equal(500, counts["10.0.1.1:80"]);
    }

    [Fact]
    public void HalfHealthyPriorityZeroSplitsSeventyThirty()
    {
        using var manager = Manager();
        // The reference example: P0 50% healthy (1.4 * 50 = 70), P1 100% healthy.
        var cluster = manager.AddOrUpdateCluster(Static("p", "ROUND_ROBIN",
            Ep("10.0.0.1"), Ep("10.0.0.2", health: "UNHEALTHY"), Ep("10.0.1.1", priority: 1), Ep("10.0.1.2", priority: 1)), "c");
        Assert.Equal([70, 30], cluster.PrioritySet.HealthyPriorityLoad);
        // One hash per percentile: exactly 70 land in P0 (only its healthy host), 30 in P1.
        var counts = LoadBalancerTests.Pick(cluster, 100, hash: 0);
        Assert.Equal(70, counts["10.0.0.1:80"]);
        Assert.False(counts.ContainsKey("10.0.0.2:80"));
        Assert.Equal(30, counts.GetValueOrDefault("10.0.1.1:80") + counts.GetValueOrDefault("10.0.1.2:80"));
    }

    [Fact]
    public void OverprovisioningFactorComesFromTheAssignmentPolicy()
    {
        using var manager = Manager();
        var config = Static("p", "ROUND_ROBIN", Ep("10.0.0.1"), Ep("10.0.0.2", health: "UNHEALTHY"), Ep("10.0.1.1", priority: 1));
        config.LoadAssignment.Policy = new Envoy.Config.Endpoint.V3.ClusterLoadAssignment.Types.Policy { OverprovisioningFactor = 100 };
        var cluster = manager.AddOrUpdateCluster(config, "c");
        Assert.Equal([50, 50], cluster.PrioritySet.HealthyPriorityLoad);
    }

    [Fact]
    public void DegradedHostsTakeTheLoadHealthyHostsCannot()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("p", "ROUND_ROBIN",
            Ep("10.0.0.1", health: "DEGRADED"), Ep("10.0.0.2", health: "UNHEALTHY")), "c");
        // Degraded availability 1.4 * 50% = 70 is the whole normalized total, so it takes all the load.
        Assert.Equal([0], cluster.PrioritySet.HealthyPriorityLoad);
        Assert.Equal([100], cluster.PrioritySet.DegradedPriorityLoad);
        Assert.Equal([false], cluster.PrioritySet.PanicPerPriority);
        var counts = LoadBalancerTests.Pick(cluster, 100);
        Assert.Equal(100, counts["10.0.0.1:80"]);
    }

    [Fact]
    public void PanicBalancesOverAllHostsAndCountsIt()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        // 1 of 4 healthy = 25% < 50% threshold.
        var cluster = manager.AddOrUpdateCluster(Static("panic", "ROUND_ROBIN",
            Ep("10.0.0.1"), Ep("10.0.0.2", health: "UNHEALTHY"), Ep("10.0.0.3", health: "UNHEALTHY"), Ep("10.0.0.4", health: "UNHEALTHY")), "c");
        Assert.Equal([true], cluster.PrioritySet.PanicPerPriority);
        var counts = LoadBalancerTests.Pick(cluster, 400);
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(100, c));
        Assert.Equal(400, stats.Counter("cluster.panic.lb_healthy_panic").Value);
    }

    [Fact]
    public void NoPanicWhileTotalAvailabilityIsFull()
    {
        using var manager = Manager();
        // P0 is 1/4 healthy (below 50%) but P1 makes the cluster 100% available.
        var cluster = manager.AddOrUpdateCluster(Static("p", "ROUND_ROBIN",
            Ep("10.0.0.1"), Ep("10.0.0.2", health: "UNHEALTHY"), Ep("10.0.0.3", health: "UNHEALTHY"), Ep("10.0.0.4", health: "UNHEALTHY"),
            Ep("10.0.1.1", priority: 1)), "c");
        Assert.Equal([false, false], cluster.PrioritySet.PanicPerPriority);
        Assert.Equal([35, 65], cluster.PrioritySet.HealthyPriorityLoad);
    }

    [Fact]
    public void AllUnhealthyPanicsAndStillServes()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("p", "ROUND_ROBIN",
            Ep("10.0.0.1", health: "UNHEALTHY"), Ep("10.0.0.2", health: "TIMEOUT")), "c");
        Assert.Equal([100], cluster.PrioritySet.HealthyPriorityLoad);
        var context = new LoadBalancerContext();
        Assert.NotNull(cluster.ChooseHost(in context));
    }

    [Fact]
    public void ZeroPanicThresholdMeansNoHealthyUpstream()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var config = Static("p", "ROUND_ROBIN", Ep("10.0.0.1", health: "UNHEALTHY"));
        config.CommonLbConfig = new() { HealthyPanicThreshold = new Envoy.Type.V3.Percent { Value = 0 } };
        var cluster = manager.AddOrUpdateCluster(config, "c");
        var context = new LoadBalancerContext();
        Assert.Null(cluster.ChooseHost(in context));
        Assert.Equal(1, stats.Counter("cluster.p.upstream_cx_none_healthy").Value);
        Assert.Equal(0, stats.Counter("cluster.p.lb_healthy_panic").Value);
    }

    [Fact]
    public void EmptyClusterHasNoHost()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster("""{"name":"e","type":"EDS","eds_cluster_config":{"eds_config":{"ads":{}}}}"""), "c");
        var context = new LoadBalancerContext();
        Assert.Null(cluster.ChooseHost(in context));
        Assert.Empty(cluster.PrioritySet.Hosts);
    }
}
