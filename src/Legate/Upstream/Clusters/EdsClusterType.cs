using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>
/// EDS: starts with no hosts; the EDS subscription delivers ClusterLoadAssignments through
/// UpstreamCluster.UpdateHosts. Warming on the first assignment is the subscription's business.
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
        return new FixedHostDiscovery([], LoadAssignmentParser.DefaultOverprovisioningFactor, false);
    }
}
