using System.Text.RegularExpressions;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>
/// One compiled route: how it matches and what its action does. Immutable; shared by every request
/// routed to it. Built by <see cref="RouteTable.Build"/>.
/// </summary>
public sealed class RouteEntry
{
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly RouteMatchCriteria? _match;
    private readonly string? _cluster;
    private readonly string? _clusterHeader;
    private readonly WeightedClusterSet? _weightedClusters;
    private readonly string? _prefixRewrite;
    private readonly Regex? _regexRewrite;
    private readonly string? _regexSubstitution;
    private readonly Dictionary<string, bool>? _upgrades;
    private readonly RedirectSpec? _redirect;

    internal RouteEntry(RouteEntrySpec spec)
    {
        Name = spec.Name;
        VirtualHost = spec.VirtualHost;
        Kind = spec.Kind;
        Config = spec.Config;
        Action = spec.Config?.Route_;
        _match = spec.Match;
        _cluster = spec.Cluster;
        _clusterHeader = spec.ClusterHeader;
        _weightedClusters = spec.WeightedClusters;
        ClusterNotFoundStatusCode = spec.ClusterNotFoundStatusCode;
        _prefixRewrite = spec.PrefixRewrite;
        _regexRewrite = spec.RegexRewrite;
        _regexSubstitution = spec.RegexSubstitution;
        HostRewrite = spec.HostRewrite;
        Timeout = spec.Timeout;
        IdleTimeout = spec.IdleTimeout;
        Priority = spec.Priority;
        _upgrades = spec.Upgrades;
        _redirect = spec.Redirect;
        DirectResponseStatus = spec.DirectResponseStatus;
        DirectResponseBody = spec.DirectResponseBody;
        RequestHeaderMutations = spec.RequestHeaderMutations;
        ResponseHeaderMutations = spec.ResponseHeaderMutations;
        RetryPolicy = spec.RetryPolicy;
        MirrorPolicies = spec.MirrorPolicies;
    }

    /// <summary>Route.name (%ROUTE_NAME%); empty when unnamed.</summary>
    public string Name { get; }

    public VirtualHostEntry VirtualHost { get; }

    public RouteActionKind Kind { get; }

    /// <summary>The raw Route (metadata, decorator, typed_per_filter_config, tracing, ...); null for require_tls redirects.</summary>
    public Proto.Route? Config { get; }

    /// <summary>Raw RouteAction for parts not compiled here (hash_policy, rate_limits, hedge_policy, ...); null unless Kind is Route.</summary>
    public Proto.RouteAction? Action { get; }

    /// <summary>True for the synthetic redirect a virtual host's require_tls produces.</summary>
    public bool IsTlsRedirect => ReferenceEquals(_redirect, RedirectSpec.Tls);

    /// <summary>503 by default; 404 / 500 per cluster_not_found_response_code.</summary>
    public int ClusterNotFoundStatusCode { get; }

    public HostRewrite HostRewrite { get; }

    /// <summary>Route timeout (15 s default); null when configured as 0 (disabled).</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Per-route stream idle timeout; null = not set (the HCM's applies); Zero = disabled.</summary>
    public TimeSpan? IdleTimeout { get; }

    /// <summary>The routing priority (DEFAULT or HIGH): which of the cluster's circuit breakers apply.</summary>
    public Envoy.Config.Core.V3.RoutingPriority Priority { get; }

    /// <summary>301, 302, 303, 307 or 308 for redirects; 0 otherwise.</summary>
    public int RedirectResponseCode => _redirect?.ResponseCode ?? 0;

    public int DirectResponseStatus { get; }

    public ReadOnlyMemory<byte> DirectResponseBody { get; }

    /// <summary>Whether a direct response gets a `location` header (201 and 3xx, per RFC 7231 7.1.2).</summary>
    public bool DirectResponseAddsLocation => Kind == RouteActionKind.DirectResponse &&
                                              (DirectResponseStatus == 201 || DirectResponseStatus is >= 300 and < 400);

    /// <summary>
    /// Route, virtual host and route configuration levels in Envoy's order (route → vhost → route config, or
    /// the reverse with most_specific_header_mutations_wins). A weighted cluster's own level is on
    /// <see cref="WeightedClusterEntry"/> and goes first.
    /// </summary>
    public HeaderMutationSet RequestHeaderMutations { get; }

    public HeaderMutationSet ResponseHeaderMutations { get; }

    /// <summary>The route's retry policy, else the virtual host's; null = no retries configured.</summary>
    public RetryPolicyEntry? RetryPolicy { get; }

    /// <summary>Shadowing policies (route's, else the virtual host's, else the route configuration's).</summary>
    public IReadOnlyList<MirrorPolicyEntry> MirrorPolicies { get; }

    /// <summary>The weighted clusters, when the route uses them.</summary>
    public IReadOnlyList<WeightedClusterEntry>? WeightedClusters => _weightedClusters?.Entries;

    internal bool Matches(in RouteRequest request) => _match is not null && _match.Matches(request);

    /// <summary>
    /// The target cluster: route.cluster, the first value of cluster_header (null when absent), or the
    /// weighted cluster picked with <see cref="RouteRequest.RandomValue"/> (or the header_name value).
    /// Null for non-forwarding kinds. An unknown name is the caller's NC case.
    /// </summary>
    public string? ClusterFor(in RouteRequest request, out WeightedClusterEntry? weighted)
    {
        weighted = null;
        if (_cluster is not null)
        {
            return _cluster;
        }
        if (_clusterHeader is not null)
        {
            var value = request.FirstHeaderValue(_clusterHeader);
            return string.IsNullOrEmpty(value) ? null : value;
        }
        if (_weightedClusters is not null)
        {
            weighted = _weightedClusters.Pick(request);
            var name = weighted.ClusterFor(request);
            return string.IsNullOrEmpty(name) ? null : name;
        }
        return null;
    }

    /// <summary>
    /// The upstream :path after prefix_rewrite (replaces the characters the route matched; no trailing-slash
    /// magic, exactly like Envoy) or regex_rewrite (on the path without query; the query is kept).
    /// Null when the route has no path rewrite; otherwise the caller sets x-envoy-original-path.
    /// </summary>
    public string? RewritePath(string rawPath)
    {
        if (_prefixRewrite is not null)
        {
            var matched = _match!.Path.MatchedLength(rawPath);
            return string.Concat(_prefixRewrite, rawPath.AsSpan(matched));
        }
        if (_regexRewrite is not null)
        {
            var pathLength = PathText.PathLength(rawPath);
            return string.Concat(_regexRewrite.Replace(rawPath[..pathLength], _regexSubstitution!), rawPath.AsSpan(pathLength));
        }
        return null;
    }

    /// <summary>Route-level upgrade_configs: true/false when the route says, null = use the connection manager's.</summary>
    public bool? UpgradeEnabled(string upgradeType) =>
        _upgrades is not null && _upgrades.TryGetValue(upgradeType, out var enabled) ? enabled : null;

    /// <summary>
    /// The `location` for a redirect (all RedirectAction fields, or https://host/path for require_tls), or for a
    /// direct response the request URL (add it only when <see cref="DirectResponseAddsLocation"/>).
    /// </summary>
    public string BuildRedirectLocation(in RouteRequest request)
    {
        if (_redirect is not null)
        {
            return _redirect.BuildLocation(request, _match?.Path.MatchedLength(request.Path ?? "/") ?? 0);
        }
        return RedirectSpec.RequestUrl.BuildLocation(request, 0);
    }
}
