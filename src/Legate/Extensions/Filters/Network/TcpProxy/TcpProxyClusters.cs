using System.Globalization;
using Legate.Config;
using Proto = Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// The cluster a tcp_proxy connection goes to: the one <c>cluster</c>, or one of <c>weighted_clusters</c>
/// drawn by weight for each connection attempt. Clusters are looked up by name when a connection
/// comes, so one added later by CDS is found then (Envoy does not check them at config time either).
/// </summary>
internal sealed class TcpProxyClusters
{
    private readonly string[] _names;
    private readonly uint[] _cumulativeWeights;

    private TcpProxyClusters(string[] names, uint[] cumulativeWeights)
    {
        _names = names;
        _cumulativeWeights = cumulativeWeights;
    }

    public IReadOnlyList<string> Names => _names;

    public string Pick()
    {
        if (_names.Length == 1)
        {
            return _names[0];
        }
        var draw = (uint)Random.Shared.NextInt64(_cumulativeWeights[^1]);
        for (var i = 0; i < _cumulativeWeights.Length; i++)
        {
            if (draw < _cumulativeWeights[i])
            {
                return _names[i];
            }
        }
        return _names[^1];
    }

    public static TcpProxyClusters Build(Proto proto, string path)
    {
        switch (proto.ClusterSpecifierCase)
        {
            case Proto.ClusterSpecifierOneofCase.Cluster:
                return new TcpProxyClusters([proto.Cluster], [1]);
            case Proto.ClusterSpecifierOneofCase.WeightedClusters:
                var weightedPath = ConfigPath.Join(path, "weighted_clusters.clusters");
                var clusters = proto.WeightedClusters.Clusters;
                if (clusters.Count == 0)
                {
                    throw new ConfigException(weightedPath, "value must contain at least 1 item(s)");
                }
                var names = new string[clusters.Count];
                var cumulative = new uint[clusters.Count];
                ulong total = 0;
                for (var i = 0; i < clusters.Count; i++)
                {
                    var clusterPath = ConfigPath.Index(weightedPath, i);
                    if (clusters[i].Name.Length == 0)
                    {
                        throw new ConfigException(ConfigPath.Join(clusterPath, "name"), "value length must be at least 1 characters");
                    }
                    if (clusters[i].Weight == 0)
                    {
                        throw new ConfigException(ConfigPath.Join(clusterPath, "weight"), "value 0 must be greater than or equal to 1");
                    }
                    total += clusters[i].Weight;
                    if (total > uint.MaxValue)
                    {
                        throw new ConfigException(weightedPath, "the sum of weights exceeds " + uint.MaxValue.ToString(CultureInfo.InvariantCulture));
                    }
                    names[i] = clusters[i].Name;
                    cumulative[i] = (uint)total;
                }
                return new TcpProxyClusters(names, cumulative);
            default:
                throw new ConfigException(path, "one of cluster or weighted_clusters must be set");
        }
    }
}
