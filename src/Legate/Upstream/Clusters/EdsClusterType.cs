using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>
/// EDS: starts with no hosts; the cluster manager's EDS subscription (Xds/Eds) delivers ClusterLoadAssignments
/// through UpstreamCluster.UpdateHosts, possibly before the cluster is published (warming).
/// </summary>
internal sealed class EdsClusterType : IClusterType
{
    public string Name => "envoy.cluster.eds";

    public IHostDiscovery Create(Cluster config, string path, ClusterTypeContext context)
    {
        if (config.EdsClusterConfig?.EdsConfig is null)
        {
            throw new ConfigException(ConfigPath.Join(path, "eds_cluster_config.eds_config"), "cannot create an EDS cluster without an EDS config");
        }
        return new ExternalHostDiscovery();
    }

    /// <summary>Hosts come from outside; starting must not clear what a warming cluster already received.</summary>
    private sealed class ExternalHostDiscovery : IHostDiscovery
    {
        public Task Initialized => Task.CompletedTask;

        public bool WaitForWarmOnInit => false;

        public void Start(IHostSink sink)
        {
        }

        public void Dispose()
        {
        }
    }
}
