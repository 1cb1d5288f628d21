using System.Text.RegularExpressions;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>The compiled pieces a <see cref="RouteEntry"/> is made of (filled by <see cref="RouteEntryFactory"/>).</summary>
internal sealed class RouteEntrySpec
{
    public required string Name { get; init; }
    public required VirtualHostEntry VirtualHost { get; init; }
    public required RouteActionKind Kind { get; init; }
    public Proto.Route? Config { get; init; }
    public RouteMatchCriteria? Match { get; init; }
    public string? Cluster { get; set; }
    public string? ClusterHeader { get; set; }
    public WeightedClusterSet? WeightedClusters { get; set; }
    public int ClusterNotFoundStatusCode { get; set; } = 503;
    public string? PrefixRewrite { get; set; }
    public Regex? RegexRewrite { get; set; }
    public string? RegexSubstitution { get; set; }
    public HostRewrite HostRewrite { get; set; } = HostRewrite.None;
    public TimeSpan? Timeout { get; set; } = RouteEntry.DefaultTimeout;
    public TimeSpan? IdleTimeout { get; set; }
    public Envoy.Config.Core.V3.RoutingPriority Priority { get; set; }
    public Dictionary<string, bool>? Upgrades { get; set; }
    public RedirectSpec? Redirect { get; set; }
    public int DirectResponseStatus { get; set; }
    public byte[] DirectResponseBody { get; set; } = [];
    public HeaderMutationSet RequestHeaderMutations { get; set; } = HeaderMutationSet.Empty;
    public HeaderMutationSet ResponseHeaderMutations { get; set; } = HeaderMutationSet.Empty;
    public RetryPolicyEntry? RetryPolicy { get; set; }
    public IReadOnlyList<MirrorPolicyEntry> MirrorPolicies { get; set; } = [];
}
