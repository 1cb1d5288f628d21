using System.Globalization;
using Legate.Config;
using Legate.Formatting;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>
/// RouteAction.weighted_clusters: picks an entry by (random or header value) % total weight,
/// walking the entries' cumulative weights.
/// </summary>
internal sealed class WeightedClusterSet
{
    private readonly WeightedClusterEntry[] _entries;
    private readonly ulong _totalWeight;
    private readonly string? _randomValueHeader;

    private WeightedClusterSet(WeightedClusterEntry[] entries, ulong totalWeight, string? randomValueHeader)
    {
        _entries = entries;
        _totalWeight = totalWeight;
        _randomValueHeader = randomValueHeader;
    }

    public IReadOnlyList<WeightedClusterEntry> Entries => _entries;

    public static WeightedClusterSet Compile(Proto.WeightedCluster config, string path, Func<string, ISubstitutionFormatter> formatter)
    {
        if (config.Clusters.Count == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "clusters"), "at least one weighted cluster is required");
        }
        var entries = new WeightedClusterEntry[config.Clusters.Count];
        ulong total = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var cluster = config.Clusters[i];
            var clusterPath = ConfigPath.Index(ConfigPath.Join(path, "clusters"), i);
            if ((cluster.Name.Length == 0) == (cluster.ClusterHeader.Length == 0))
            {
                throw new ConfigException(clusterPath, cluster.Name.Length == 0
                    ? "At least one of name or cluster_header need to be specified"
                    : "Only one of name or cluster_header can be specified");
            }
            var weight = cluster.Weight ?? 0;
            var request = HeaderMutationLevel.Compile(cluster.RequestHeadersToAdd, ConfigPath.Join(clusterPath, "request_headers_to_add"),
                cluster.RequestHeadersToRemove, ConfigPath.Join(clusterPath, "request_headers_to_remove"), formatter);
            var response = HeaderMutationLevel.Compile(cluster.ResponseHeadersToAdd, ConfigPath.Join(clusterPath, "response_headers_to_add"),
                cluster.ResponseHeadersToRemove, ConfigPath.Join(clusterPath, "response_headers_to_remove"), formatter);
            entries[i] = new WeightedClusterEntry(cluster, weight, HeaderMutationSet.Of(request), HeaderMutationSet.Of(response));
            total += weight;
            if (total > uint.MaxValue)
            {
                throw new ConfigException(clusterPath, "The sum of weights of all weighted clusters exceeds " + uint.MaxValue.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (total == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "clusters"), "Sum of weights in the weighted_cluster must be greater than 0.");
        }
        // Envoy 1.25 required the sum to equal total_weight; later versions ignore the field. An explicit
        // total_weight that disagrees is rejected (it was invalid then); an absent one means "use the sum".
        if (config.TotalWeight is { } declared && declared != total)
        {
            throw new ConfigException(ConfigPath.Join(path, "total_weight"),
                "Sum of weights in the weighted_cluster should add up to " + declared.ToString(CultureInfo.InvariantCulture));
        }
        var header = config.RandomValueSpecifierCase == Proto.WeightedCluster.RandomValueSpecifierOneofCase.HeaderName && config.HeaderName.Length > 0
            ? config.HeaderName.ToLowerInvariant()
            : null;
        return new WeightedClusterSet(entries, total, header);
    }

    public WeightedClusterEntry Pick(in RouteRequest request)
    {
        var selector = request.RandomValue;
        if (_randomValueHeader is not null && request.Headers is not null &&
            request.Headers.TryGetValue(_randomValueHeader, out var values) && values.Count == 1 &&
            ulong.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fromHeader))
        {
            selector = fromHeader;
        }
        var value = selector % _totalWeight;
        ulong end = 0;
        foreach (var entry in _entries)
        {
            end += entry.Weight;
            if (value < end)
            {
                return entry;
            }
        }
        return _entries[^1];
    }
}
