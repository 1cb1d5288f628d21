using System.Collections.Frozen;
using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>The cluster discovery types Legate implements, keyed by Envoy's extension names.</summary>
internal static class ClusterTypes
{
    private static readonly FrozenDictionary<string, IClusterType> s_byName = new IClusterType[]
    {
        new StaticClusterType(),
        new StrictDnsClusterType(),
        new LogicalDnsClusterType(),
        new EdsClusterType(),
    }.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    // Cluster.type values and the extension names Envoy registers for them.
    private static readonly FrozenDictionary<Cluster.Types.DiscoveryType, string> s_enumNames = new Dictionary<Cluster.Types.DiscoveryType, string>
    {
        [Cluster.Types.DiscoveryType.Static] = "envoy.cluster.static",
        [Cluster.Types.DiscoveryType.StrictDns] = "envoy.cluster.strict_dns",
        [Cluster.Types.DiscoveryType.LogicalDns] = "envoy.cluster.logical_dns",
        [Cluster.Types.DiscoveryType.Eds] = "envoy.cluster.eds",
        [Cluster.Types.DiscoveryType.OriginalDst] = "envoy.cluster.original_dst",
    }.ToFrozenDictionary();

    public static IEnumerable<string> Names => s_byName.Keys;

    public static IClusterType Find(Cluster config, string path)
    {
        if (config.ClusterDiscoveryTypeCase == Cluster.ClusterDiscoveryTypeOneofCase.ClusterType)
        {
            var name = config.ClusterType.Name;
            if (s_byName.TryGetValue(name, out var custom))
            {
                return custom;
            }
            throw new ConfigException(ConfigPath.Join(path, "cluster_type.name"), "unsupported cluster type extension " + name);
        }
        var type = config.Type;
        if (s_enumNames.TryGetValue(type, out var typeName) && s_byName.TryGetValue(typeName, out var found))
        {
            return found;
        }
        throw new ConfigException(ConfigPath.Join(path, "type"), "unsupported cluster type " + ProtoEnumName.Of(type));
    }
}
