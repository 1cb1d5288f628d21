using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>
/// An immutable, compiled RouteConfiguration: virtual host lookup plus ordered route matching.
/// Built once per config version; shared by all requests (swap the reference to update).
/// </summary>
public sealed class RouteTable
{
    private const uint DefaultMaxDirectResponseBodyBytes = 4096;

    private readonly VirtualHostMap _virtualHostMap;
    private readonly VirtualHostEntry[] _virtualHosts;
    private readonly string[] _internalOnlyHeaders;

    private RouteTable(Proto.RouteConfiguration config, VirtualHostEntry[] virtualHosts, VirtualHostMap map, RouteBuildContext context)
    {
        Config = config;
        Name = config.Name;
        _virtualHosts = virtualHosts;
        _virtualHostMap = map;
        Random = context.Random;
        _internalOnlyHeaders = new string[config.InternalOnlyHeaders.Count];
        for (var i = 0; i < _internalOnlyHeaders.Length; i++)
        {
            _internalOnlyHeaders[i] = config.InternalOnlyHeaders[i].ToLowerInvariant();
        }
    }

    public string Name { get; }

    public Proto.RouteConfiguration Config { get; }

    public IReadOnlyList<VirtualHostEntry> VirtualHosts => _virtualHosts;

    /// <summary>Lower-cased; the connection manager strips them from external requests.</summary>
    public IReadOnlyList<string> InternalOnlyHeaders => _internalOnlyHeaders;

    public bool MostSpecificHeaderMutationsWins => Config.MostSpecificHeaderMutationsWins;

    public bool IgnorePortInHostMatching => Config.IgnorePortInHostMatching;

    public uint MaxDirectResponseBodySizeBytes => Config.MaxDirectResponseBodySizeBytes ?? DefaultMaxDirectResponseBodyBytes;

    /// <summary>The random source given at build time (null when none).</summary>
    public Func<ulong>? Random { get; }

    /// <param name="config">The RouteConfiguration (inline route_config, RDS resource).</param>
    /// <param name="context">Cluster validation, formatter factory.</param>
    /// <param name="path">Field path of <paramref name="config"/> for error messages.</param>
    /// <exception cref="ConfigException">With the path of the offending field.</exception>
    public static RouteTable Build(Proto.RouteConfiguration config, RouteBuildContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        if (config.Vhds is not null)
        {
            throw new ConfigException(ConfigPath.Join(path, "vhds"), "VHDS is not supported");
        }
        if (config.ClusterSpecifierPlugins.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "cluster_specifier_plugins"), "cluster specifier plugins are not supported");
        }
        var validate = config.ValidateClusters != false ? context.ClusterExists : null;
        var scope = new RouteBuildScope
        {
            Formatter = context.Formatter,
            ClusterExists = validate,
            MostSpecificHeaderMutationsWins = config.MostSpecificHeaderMutationsWins,
            IgnorePathParameters = config.IgnorePathParametersInPathMatching,
            MaxDirectResponseBodyBytes = config.MaxDirectResponseBodySizeBytes ?? DefaultMaxDirectResponseBodyBytes,
            ConfigRequestLevel = HeaderMutationLevel.Compile(config.RequestHeadersToAdd, ConfigPath.Join(path, "request_headers_to_add"),
                config.RequestHeadersToRemove, ConfigPath.Join(path, "request_headers_to_remove"), context.Formatter),
            ConfigResponseLevel = HeaderMutationLevel.Compile(config.ResponseHeadersToAdd, ConfigPath.Join(path, "response_headers_to_add"),
                config.ResponseHeadersToRemove, ConfigPath.Join(path, "response_headers_to_remove"), context.Formatter),
            ConfigMirrorPolicies = MirrorPolicyEntry.CompileAll(config.RequestMirrorPolicies, ConfigPath.Join(path, "request_mirror_policies"), validate),
        };
        var virtualHostsPath = ConfigPath.Join(path, "virtual_hosts");
        var virtualHosts = new VirtualHostEntry[config.VirtualHosts.Count];
        for (var i = 0; i < virtualHosts.Length; i++)
        {
            virtualHosts[i] = VirtualHostEntry.Create(config.VirtualHosts[i], ConfigPath.Index(virtualHostsPath, i), scope);
        }
        var map = new VirtualHostMap(virtualHosts, config.Name, config.IgnorePortInHostMatching, virtualHostsPath);
        return new RouteTable(config, virtualHosts, map, context);
    }

    /// <summary>The virtual host for a Host / :authority value (null = none, a 404 NR).</summary>
    public VirtualHostEntry? FindVirtualHost(string? authority) => _virtualHostMap.Find(authority);

    /// <summary>
    /// Selects the virtual host, then the first route that matches. Null means 404 with flag NR
    /// (<paramref name="virtualHost"/> tells whether a virtual host matched). A require_tls virtual host
    /// returns its redirect route (<see cref="RouteEntry.IsTlsRedirect"/>) for plain-text requests.
    /// </summary>
    public RouteEntry? Match(in RouteRequest request, out VirtualHostEntry? virtualHost)
    {
        virtualHost = _virtualHostMap.Find(request.Authority);
        return virtualHost?.Match(request);
    }
}
