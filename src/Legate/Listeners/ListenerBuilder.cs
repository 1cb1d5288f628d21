using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Legate.Config;
using Legate.Server;
using Legate.Stats;

namespace Legate.Listeners;

/// <summary>
/// Builds a <see cref="ListenerDefinition"/> from an Envoy Listener: resolves the address, every
/// filter chain's network filters through the registry, and the listener's stat scope. Everything
/// that can fail, fails here, before anything binds.
/// </summary>
public static class ListenerBuilder
{
    public const string NetworkFilterCategory = "envoy.filters.network";

    /// <summary>Listener filters that only inspect bytes for filter-chain matching; accepted as no-ops until TLS lands.</summary>
    private static readonly HashSet<string> s_inspectorTypes = new(StringComparer.Ordinal)
    {
        "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
        "envoy.extensions.filters.listener.http_inspector.v3.HttpInspector",
    };

    public static ListenerDefinition Build(Listener config, ServerContext server, string path)
    {
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "listener name must not be empty");
        }
        var endPoint = ResolveAddress(config.Address, ConfigPath.Join(path, "address"));
        var statPrefix = config.StatPrefix.Length > 0
            ? config.StatPrefix
            : StatNames.ForAddress(endPoint);
        var scope = server.Stats.Scope("listener." + statPrefix);
        var stats = new ListenerStats(scope);
        var filterContext = new NetworkFilterContext(server, config.Name, scope);

        for (var i = 0; i < config.ListenerFilters.Count; i++)
        {
            var lf = config.ListenerFilters[i];
            var typeName = lf.TypedConfig is null ? string.Empty : Google.Protobuf.WellKnownTypes.Any.GetTypeName(lf.TypedConfig.TypeUrl);
            if (!s_inspectorTypes.Contains(typeName) && lf.Name is not ("envoy.filters.listener.tls_inspector" or "envoy.filters.listener.http_inspector"))
            {
                throw new ConfigException(ConfigPath.Index(ConfigPath.Join(path, "listener_filters"), i), "listener filter '" + lf.Name + "' is not supported yet");
            }
        }

        var chains = new List<FilterChain>(config.FilterChains.Count);
        for (var i = 0; i < config.FilterChains.Count; i++)
        {
            chains.Add(BuildChain(config.FilterChains[i], filterContext, ConfigPath.Index(ConfigPath.Join(path, "filter_chains"), i)));
        }
        var defaultChain = config.DefaultFilterChain is null
            ? null
            : BuildChain(config.DefaultFilterChain, filterContext, ConfigPath.Join(path, "default_filter_chain"));
        if (chains.Count == 0 && defaultChain is null)
        {
            throw new ConfigException(ConfigPath.Join(path, "filter_chains"), "no filter chains specified");
        }
        var selector = new FilterChainSelector(chains, defaultChain, path);
        var all = defaultChain is null ? chains : [.. chains, defaultChain];
        return new ListenerDefinition(config, endPoint, selector, all, stats);
    }

    public static IPEndPoint ResolveAddress(Address? address, string path)
    {
        if (address is null || address.AddressCase == Address.AddressOneofCase.None)
        {
            throw new ConfigException(path, "listener address is required");
        }
        if (address.AddressCase != Address.AddressOneofCase.SocketAddress)
        {
            throw new ConfigException(path, address.AddressCase + " addresses are not supported yet");
        }
        Envoy.Config.Core.V3.SocketAddress socket = address.SocketAddress;
        var socketPath = ConfigPath.Join(path, "socket_address");
        if (socket.Protocol == Envoy.Config.Core.V3.SocketAddress.Types.Protocol.Udp)
        {
            throw new ConfigException(ConfigPath.Join(socketPath, "protocol"), "UDP listeners are not supported yet");
        }
        if (!IPAddress.TryParse(socket.Address, out var ip))
        {
            throw new ConfigException(ConfigPath.Join(socketPath, "address"), "malformed IP address: " + socket.Address);
        }
        if (socket.PortSpecifierCase == Envoy.Config.Core.V3.SocketAddress.PortSpecifierOneofCase.NamedPort)
        {
            throw new ConfigException(ConfigPath.Join(socketPath, "named_port"), "named ports are not supported");
        }
        if (socket.PortValue > 65535)
        {
            throw new ConfigException(ConfigPath.Join(socketPath, "port_value"), "invalid port " + socket.PortValue);
        }
        return new IPEndPoint(ip, (int)socket.PortValue);
    }

    private static FilterChain BuildChain(Envoy.Config.Listener.V3.FilterChain config, NetworkFilterContext context, string path)
    {
        if (config.TransportSocket is { } ts && !IsRawBuffer(ts))
        {
            throw new ConfigException(ConfigPath.Join(path, "transport_socket"), "transport socket '" + ts.Name + "' is not supported yet (TLS is planned)");
        }
        if (config.Filters.Count == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "filters"), "a filter chain needs at least one network filter");
        }
        var filters = new INetworkFilter[config.Filters.Count];
        for (var i = 0; i < config.Filters.Count; i++)
        {
            var filterPath = ConfigPath.Index(ConfigPath.Join(path, "filters"), i);
            var filter = config.Filters[i];
            if (filter.ConfigTypeCase == Filter.ConfigTypeOneofCase.ConfigDiscovery)
            {
                throw new ConfigException(ConfigPath.Join(filterPath, "config_discovery"), "extension config discovery is not supported yet");
            }
            var typeUrl = filter.TypedConfig?.TypeUrl ?? string.Empty;
            var factory = typeUrl.Length > 0
                ? context.Server.Extensions.FindByTypeUrl<INetworkFilterFactory>(NetworkFilterCategory, typeUrl)
                : context.Server.Extensions.FindByName<INetworkFilterFactory>(NetworkFilterCategory, filter.Name);
            if (factory is null)
            {
                throw new ConfigException(
                    filterPath,
                    "Didn't find a registered implementation for '" + filter.Name + "' with type URL: '" + Google.Protobuf.WellKnownTypes.Any.GetTypeName(typeUrl) + "'");
            }
            if (factory.IsTerminal && i != config.Filters.Count - 1)
            {
                throw new ConfigException(filterPath, "terminal filter named " + filter.Name + " of type " + factory.Name + " must be the last filter in a network filter chain.");
            }
            if (!factory.IsTerminal && i == config.Filters.Count - 1)
            {
                throw new ConfigException(filterPath, "non-terminal filter named " + filter.Name + " of type " + factory.Name + " is the last filter in a network filter chain.");
            }
            var typedPath = ConfigPath.Join(filterPath, "typed_config");
            var message = filter.TypedConfig is null
                ? TypedConfig.Empty(factory)
                : TypedConfig.Unpack(filter.TypedConfig, factory, typedPath);
            filters[i] = factory.Create(message, context, typedPath);
        }
        return new FilterChain(config.Name, config.FilterChainMatch, filters);
    }

    private static bool IsRawBuffer(TransportSocket socket) =>
        socket.Name == "envoy.transport_sockets.raw_buffer"
        || (socket.TypedConfig is { } any && Google.Protobuf.WellKnownTypes.Any.GetTypeName(any.TypeUrl) == "envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer");
}
