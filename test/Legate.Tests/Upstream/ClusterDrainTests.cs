using Legate.Stats;
using Microsoft.Extensions.Logging.Abstractions;
using static Legate.Tests.Polling;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

/// <summary>A replaced or removed cluster keeps its pools for the drain time, then goes; disposing the manager ends every drain.</summary>
public class ClusterDrainTests
{
    [Fact]
    public async Task ARemovedOrReplacedClusterIsDisposedOnlyAfterTheDrainTime()
    {
        using var manager = new Legate.Upstream.ClusterManager(new StatsStore(), NullLoggerFactory.Instance) { DrainTime = TimeSpan.FromMilliseconds(300) };
        var removed = manager.AddOrUpdateCluster(Static("gone", "ROUND_ROBIN", Ep("127.0.0.1")), "clusters[0]");
        var replaced = manager.AddOrUpdateCluster(Static("kept", "ROUND_ROBIN", Ep("127.0.0.1")), "clusters[1]");

        Assert.True(manager.RemoveCluster("gone"));
        var replacement = manager.AddOrUpdateCluster(Static("kept", "RANDOM", Ep("127.0.0.1")), "clusters[1]");

        // Still usable by requests already on them until the drain ends.
        Assert.False(removed.IsDisposed);
        Assert.False(replaced.IsDisposed);
        await WaitUntil(() => removed.IsDisposed && replaced.IsDisposed, "the drained clusters to be disposed");
        Assert.False(replacement.IsDisposed);
        Assert.Same(replacement, manager.Get("kept"));
    }

    [Fact]
    public void DisposingTheManagerDisposesItsActiveAndDrainingClusters()
    {
        var manager = new Legate.Upstream.ClusterManager(new StatsStore(), NullLoggerFactory.Instance) { DrainTime = TimeSpan.FromHours(1) };
        var draining = manager.AddOrUpdateCluster(Static("a", "ROUND_ROBIN", Ep("127.0.0.1")), "clusters[0]");
        var active = manager.AddOrUpdateCluster(Static("b", "ROUND_ROBIN", Ep("127.0.0.1")), "clusters[1]");
        Assert.True(manager.RemoveCluster("a"));
        Assert.False(draining.IsDisposed);

        manager.Dispose();

        Assert.True(draining.IsDisposed);
        Assert.True(active.IsDisposed);
    }
}
