using Legate.Xds.Eds;

namespace Legate.Upstream;

/// <summary>A built, validated cluster not yet published, with its EDS subscription (not yet started).</summary>
internal sealed record PreparedCluster(UpstreamCluster Cluster, EdsClusterSubscription? Eds);
