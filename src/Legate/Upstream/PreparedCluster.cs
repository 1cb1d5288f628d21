using Legate.Xds.Eds;

namespace Legate.Upstream;

/// <summary>A built, validated cluster not yet published, with its EDS subscription (not yet started).</summary>
internal sealed record PreparedCluster(UpstreamCluster Cluster, EdsClusterSubscription? Eds)
{
    /// <summary>Releases clusters that were built but will not be published (a batch failed).</summary>
    public static void DisposeAll(IEnumerable<PreparedCluster> prepared)
    {
        foreach (var p in prepared)
        {
            p.Eds?.Dispose();
            p.Cluster.Dispose();
        }
    }
}
