using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>One WeightedCluster.ClusterWeight, compiled.</summary>
public sealed class WeightedClusterEntry
{
    internal WeightedClusterEntry(Proto.WeightedCluster.Types.ClusterWeight config, uint weight,
        HeaderMutationSet requestHeaderMutations, HeaderMutationSet responseHeaderMutations)
    {
        Config = config;
        Weight = weight;
        Name = config.Name.Length > 0 ? config.Name : null;
        ClusterHeader = config.ClusterHeader.Length > 0 ? config.ClusterHeader.ToLowerInvariant() : null;
        HostRewriteLiteral = config.HostRewriteLiteral.Length > 0 ? config.HostRewriteLiteral : null;
        RequestHeaderMutations = requestHeaderMutations;
        ResponseHeaderMutations = responseHeaderMutations;
    }

    /// <summary>Cluster name; null when the entry names its cluster through <see cref="ClusterHeader"/>.</summary>
    public string? Name { get; }

    public string? ClusterHeader { get; }

    public uint Weight { get; }

    /// <summary>Applied to the authority right after this entry's request headers, before the route's own host rewrite.</summary>
    public string? HostRewriteLiteral { get; }

    /// <summary>This entry's level; Envoy applies it before the route's <see cref="RouteEntry.RequestHeaderMutations"/>.</summary>
    public HeaderMutationSet RequestHeaderMutations { get; }

    public HeaderMutationSet ResponseHeaderMutations { get; }

    /// <summary>Raw config (metadata_match, typed_per_filter_config).</summary>
    public Proto.WeightedCluster.Types.ClusterWeight Config { get; }

    internal string? ClusterFor(in RouteRequest request) => Name ?? request.FirstHeaderValue(ClusterHeader!);
}
