using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>One compiled VirtualHost: its routes in order, TLS requirement, header levels and virtual clusters.</summary>
public sealed class VirtualHostEntry
{
    private RouteEntry[] _routes = [];
    private RouteEntry? _tlsRedirect;
    private readonly VirtualClusterEntry[] _virtualClusters;

    private VirtualHostEntry(Proto.VirtualHost config, string path, RouteBuildScope scope)
    {
        Config = config;
        Name = config.Name;
        RequireTls = config.RequireTls;
        RequestLevel = HeaderMutationLevel.Compile(config.RequestHeadersToAdd, ConfigPath.Join(path, "request_headers_to_add"),
            config.RequestHeadersToRemove, ConfigPath.Join(path, "request_headers_to_remove"), scope.Formatter);
        ResponseLevel = HeaderMutationLevel.Compile(config.ResponseHeadersToAdd, ConfigPath.Join(path, "response_headers_to_add"),
            config.ResponseHeadersToRemove, ConfigPath.Join(path, "response_headers_to_remove"), scope.Formatter);
        RequestHeaderMutations = HeaderMutationSet.Of(RequestLevel);
        ResponseHeaderMutations = HeaderMutationSet.Of(ResponseLevel);
        if (config.RetryPolicy is not null)
        {
            RetryPolicy = RetryPolicyEntry.Compile(config.RetryPolicy, ConfigPath.Join(path, "retry_policy"));
        }
        MirrorPolicies = MirrorPolicyEntry.CompileAll(config.RequestMirrorPolicies, ConfigPath.Join(path, "request_mirror_policies"), scope.ClusterExists);
        _virtualClusters = new VirtualClusterEntry[config.VirtualClusters.Count];
        for (var i = 0; i < _virtualClusters.Length; i++)
        {
            _virtualClusters[i] = VirtualClusterEntry.Compile(config.VirtualClusters[i], ConfigPath.Index(ConfigPath.Join(path, "virtual_clusters"), i));
        }
    }

    public string Name { get; }

    public Proto.VirtualHost Config { get; }

    public Proto.VirtualHost.Types.TlsRequirementType RequireTls { get; }

    /// <summary>This virtual host's own level only (routes carry the combined list).</summary>
    public HeaderMutationSet RequestHeaderMutations { get; }

    public HeaderMutationSet ResponseHeaderMutations { get; }

    /// <summary>Used by routes that have no retry policy of their own.</summary>
    public RetryPolicyEntry? RetryPolicy { get; }

    public IReadOnlyList<MirrorPolicyEntry> MirrorPolicies { get; }

    public IReadOnlyList<VirtualClusterEntry> VirtualClusters => _virtualClusters;

    public IReadOnlyList<RouteEntry> Routes => _routes;

    public bool IncludeRequestAttemptCount => Config.IncludeRequestAttemptCount;

    public bool IncludeAttemptCountInResponse => Config.IncludeAttemptCountInResponse;

    public bool IncludeIsTimeoutRetryHeader => Config.IncludeIsTimeoutRetryHeader;

    internal HeaderMutationLevel? RequestLevel { get; }

    internal HeaderMutationLevel? ResponseLevel { get; }

    /// <summary>The first virtual cluster whose headers match; "other" when there are some and none matches; null when none are configured.</summary>
    public VirtualClusterEntry? FindVirtualCluster(in RouteRequest request)
    {
        if (_virtualClusters.Length == 0)
        {
            return null;
        }
        foreach (var virtualCluster in _virtualClusters)
        {
            if (virtualCluster.Matches(request))
            {
                return virtualCluster;
            }
        }
        return VirtualClusterEntry.Other;
    }

    internal static VirtualHostEntry Create(Proto.VirtualHost config, string path, RouteBuildScope scope)
    {
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "virtual host name must not be empty");
        }
        if (config.Domains.Count == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "domains"), "at least one domain is required");
        }
        if (config.Matcher is not null)
        {
            throw new ConfigException(ConfigPath.Join(path, "matcher"), config.Routes.Count > 0
                ? "cannot set both matcher and routes on virtual host"
                : "virtual host matcher trees are not supported; use routes");
        }
        var virtualHost = new VirtualHostEntry(config, path, scope);
        var routes = new RouteEntry[config.Routes.Count];
        var routesPath = ConfigPath.Join(path, "routes");
        for (var i = 0; i < routes.Length; i++)
        {
            routes[i] = RouteEntryFactory.Create(config.Routes[i], ConfigPath.Index(routesPath, i), virtualHost, scope);
        }
        virtualHost._routes = routes;
        if (config.RequireTls != Proto.VirtualHost.Types.TlsRequirementType.None)
        {
            virtualHost._tlsRedirect = RouteEntryFactory.CreateTlsRedirect(virtualHost);
        }
        return virtualHost;
    }

    internal RouteEntry? Match(in RouteRequest request)
    {
        if (_tlsRedirect is not null && NeedsTlsRedirect(request))
        {
            return _tlsRedirect;
        }
        foreach (var route in _routes)
        {
            if (route.Matches(request))
            {
                return route;
            }
        }
        return null;
    }

    private bool NeedsTlsRedirect(in RouteRequest request)
    {
        var scheme = request.ForwardedProto;
        if (scheme.Length == 0 || string.Equals(scheme, "https", StringComparison.Ordinal))
        {
            return false;
        }
        return RequireTls == Proto.VirtualHost.Types.TlsRequirementType.All ||
               !string.Equals(request.FirstHeaderValue("x-envoy-internal"), "true", StringComparison.Ordinal);
    }
}
