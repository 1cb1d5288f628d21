using Legate.Upstream;
using Legate.Upstream.Clusters;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

public class ConcurrencyAndTimingTests
{
    [Fact]
    public async Task WeightedRoundRobinStaysExactUnderConcurrentPicks()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(
            Static("wrr", "ROUND_ROBIN", Ep("10.0.0.1", weight: 1), Ep("10.0.0.2", weight: 2), Ep("10.0.0.3", weight: 3)), "c");
        var hosts = cluster.PrioritySet.Hosts;
        var counts = new long[hosts.Count];
        var start = new TaskCompletionSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var context = new LoadBalancerContext();
            for (var i = 0; i < 6000; i++)
            {
                var host = cluster.ChooseHost(in context)!;
                for (var h = 0; h < hosts.Count; h++)
                {
                    if (ReferenceEquals(hosts[h], host))
                    {
                        Interlocked.Increment(ref counts[h]);
                    }
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers);
        // 24000 picks = 4000 whole cycles of the shared schedule, whatever the interleaving.
        Assert.Equal([4000L, 8000L, 12000L], counts);
    }

    [Fact]
    public void DnsFailureRefreshBacksOffUpToTheMaximum()
    {
        var config = Cluster("""
            {"name":"d","type":"STRICT_DNS","dns_refresh_rate":"10s","dns_failure_refresh_rate":{"base_interval":"1s","max_interval":"5s"}}
            """);
        var settings = DnsSettings.Parse(config, "c");
        Assert.Equal(TimeSpan.FromSeconds(10), settings.RefreshRate);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.FailureDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(2), settings.FailureDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(4), settings.FailureDelay(3));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.FailureDelay(4));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.FailureDelay(40));

        var defaults = DnsSettings.Parse(Cluster("""{"name":"d","type":"STRICT_DNS"}"""), "c");
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.RefreshRate);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.FailureDelay(3));
        Assert.True(defaults.WaitForWarmOnInit);
    }

    [Fact]
    public async Task InitializationWaitsForFailedResolutionsToo()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster(
            "{\"name\":\"d\",\"type\":\"STRICT_DNS\",\"load_assignment\":{\"cluster_name\":\"d\",\"endpoints\":[{\"lb_endpoints\":[{\"endpoint\":"
            + SocketEndpoint("nonexistent.invalid", 80) + "}]}]}}"), "c");
        await manager.InitializeAsync(CancellationToken.None);
        Assert.True(cluster.Initialized.IsCompleted);
        Assert.Empty(cluster.PrioritySet.Hosts);
        Assert.True(manager.RemoveCluster("d"));
    }
}
