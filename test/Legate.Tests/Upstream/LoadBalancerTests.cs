using Legate.Upstream;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

public class LoadBalancerTests
{
    [Fact]
    public void RoundRobinCyclesEqualHostsEvenly()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("rr", "ROUND_ROBIN", Ep("10.0.0.1"), Ep("10.0.0.2"), Ep("10.0.0.3")), "c");
        var counts = Pick(cluster, 300);
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(100, c));
    }

    [Fact]
    public void WeightedRoundRobinIsExactOverEveryCycle()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(
            Static("wrr", "ROUND_ROBIN", Ep("10.0.0.1", weight: 1), Ep("10.0.0.2", weight: 2), Ep("10.0.0.3", weight: 3)), "c");
        // Any window of one full cycle (sum of weights = 6) holds each host exactly weight times.
        for (var cycle = 0; cycle < 20; cycle++)
        {
            var counts = Pick(cluster, 6);
            Assert.Equal(1, counts["10.0.0.1:80"]);
            Assert.Equal(2, counts["10.0.0.2:80"]);
            Assert.Equal(3, counts["10.0.0.3:80"]);
        }
    }

    [Fact]
    public void WeightedRoundRobinReducesByCommonDivisorAndInterleaves()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("wrr", "ROUND_ROBIN", Ep("10.0.0.1", weight: 20), Ep("10.0.0.2", weight: 40)), "c");
        var counts = Pick(cluster, 3);
        Assert.Equal(1, counts["10.0.0.1:80"]);
        Assert.Equal(2, counts["10.0.0.2:80"]);
    }

    [Fact]
    public void LeastRequestPrefersTheIdleHost()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("lr", "LEAST_REQUEST", Ep("10.0.0.1"), Ep("10.0.0.2")), "c");
        var busy = cluster.PrioritySet.Hosts[0];
        Interlocked.Add(ref busy.Stats.RqActive, 10);
        var counts = Pick(cluster, 2000);
        // P2C picks the busy host only when both draws land on it (1 in 4).
        Assert.True(counts.GetValueOrDefault(cluster.PrioritySet.Hosts[1].Address) > 1300, string.Join(",", counts));
    }

    [Fact]
    public void LeastRequestWithManyChoicesAlmostAlwaysPicksTheIdleHost()
    {
        using var manager = Manager();
        var config = Static("lr", "LEAST_REQUEST", Ep("10.0.0.1"), Ep("10.0.0.2"), Ep("10.0.0.3"));
        config.LeastRequestLbConfig = new Envoy.Config.Cluster.V3.Cluster.Types.LeastRequestLbConfig { ChoiceCount = 50 };
        var cluster = manager.AddOrUpdateCluster(config, "c");
        foreach (var host in cluster.PrioritySet.Hosts.Skip(1))
        {
            Interlocked.Add(ref host.Stats.RqActive, 5);
        }
        var counts = Pick(cluster, 1000);
        Assert.True(counts.GetValueOrDefault("10.0.0.1:80") > 990, string.Join(",", counts));
    }

    [Fact]
    public void WeightedLeastRequestDividesWeightByActiveRequests()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("lr", "LEAST_REQUEST", Ep("10.0.0.1", weight: 1), Ep("10.0.0.2", weight: 2)), "c");

        // Idle: plain weighted EDF, exact 1:2.
        var idle = Pick(cluster, 300);
        Assert.Equal(100, idle["10.0.0.1:80"]);
        Assert.Equal(200, idle["10.0.0.2:80"]);

        // The heavier host with 3 active requests has effective weight 2/4 = 0.5 < 1.
        Interlocked.Add(ref cluster.PrioritySet.Hosts[1].Stats.RqActive, 3);
        var busy = Pick(cluster, 300);
        Assert.True(busy["10.0.0.1:80"] > busy["10.0.0.2:80"], string.Join(",", busy));
    }

    [Fact]
    public void RandomFollowsWeightsOverManyPicks()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("rnd", "RANDOM", Ep("10.0.0.1", weight: 1), Ep("10.0.0.2", weight: 3)), "c");
        var counts = Pick(cluster, 40000);
        var share = counts["10.0.0.2:80"] / 40000.0;
        Assert.InRange(share, 0.72, 0.78);
    }

    [Fact]
    public void RandomEqualWeightsReachesEveryHost()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("rnd", "RANDOM", Ep("10.0.0.1"), Ep("10.0.0.2"), Ep("10.0.0.3"), Ep("10.0.0.4")), "c");
        var counts = Pick(cluster, 8000);
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 1700, 2300));
    }

    [Theory]
    [InlineData("ROUND_ROBIN", 1, 1)]
    [InlineData("ROUND_ROBIN", 1, 3)]
    [InlineData("LEAST_REQUEST", 1, 1)]
    [InlineData("LEAST_REQUEST", 1, 3)]
    [InlineData("RANDOM", 1, 1)]
    [InlineData("RANDOM", 1, 3)]
    public void ChooseHostAllocatesNothing(string policy, int weightA, int weightB)
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("z", policy,
            Ep("10.0.0.1", weight: weightA), Ep("10.0.0.2", weight: weightB),
            Ep("10.0.0.3", priority: 1), Ep("10.0.0.4", priority: 1, health: "UNHEALTHY")), "c");
        var context = new LoadBalancerContext();
        for (var i = 0; i < 1000; i++)
        {
            cluster.ChooseHost(in context);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            Assert.NotNull(cluster.ChooseHost(in context));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ChooseHostAllocatesNothingAcrossPrioritiesAndPanic()
    {
        using var manager = Manager();
        // P0 half healthy => 70/30 split with P1; second cluster entirely in panic.
        var split = manager.AddOrUpdateCluster(Static("split", "ROUND_ROBIN",
            Ep("10.0.0.1"), Ep("10.0.0.2", health: "UNHEALTHY"), Ep("10.0.1.1", priority: 1)), "c");
        var panic = manager.AddOrUpdateCluster(Static("panic", "ROUND_ROBIN",
            Ep("10.0.0.1", health: "UNHEALTHY"), Ep("10.0.0.2", health: "UNHEALTHY")), "c");
        var context = new LoadBalancerContext(hashKey: 42);
        var random = new LoadBalancerContext();
        split.ChooseHost(in context);
        split.ChooseHost(in random);
        panic.ChooseHost(in random);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50_000; i++)
        {
            split.ChooseHost(in context);
            split.ChooseHost(in random);
            panic.ChooseHost(in random);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static Dictionary<string, int> Pick(UpstreamCluster cluster, int count, ulong? hash = null)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            var context = new LoadBalancerContext(hash is null ? null : hash + (ulong)i);
            var host = cluster.ChooseHost(in context);
            Assert.NotNull(host);
            counts[host.Address] = counts.GetValueOrDefault(host.Address) + 1;
        }
        return counts;
    }
}
