using Google.Protobuf;
using Legate.AccessLog;
using Legate.Config;
using Legate.Formatting;
using Legate.Http;
using Legate.Listeners;
using Legate.Router;
using Hcm = Legate.Http.HttpConnectionManager;
using Microsoft.Extensions.Logging;
using HcmProto = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Extensions.Filters.Network.HttpConnectionManager;

/// <summary>Builds <c>envoy.filters.network.http_connection_manager</c> from its typed_config.</summary>
internal sealed class HttpConnectionManagerFactory : INetworkFilterFactory
{
    public string Name => "envoy.filters.network.http_connection_manager";

    public string Category => "envoy.filters.network";

    public string ConfigTypeName => "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

    public MessageParser ConfigParser => HcmProto.Parser;

    public bool IsTerminal => true;

    public INetworkFilter Create(IMessage config, NetworkFilterContext context, string path)
    {
        var hcm = Build((HcmProto)config, context, path);
        return new HttpConnectionManagerFilter(hcm);
    }

    internal static Hcm Build(HcmProto proto, NetworkFilterContext context, string path)
    {
        var server = context.Server;
        if (proto.StatPrefix.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "stat_prefix"), "value length must be at least 1 characters");
        }
        var httpScope = server.Stats.Scope("http." + proto.StatPrefix);
        var listenerHttpScope = context.ListenerScope.Scope("http." + proto.StatPrefix);
        var stats = new ConnectionManagerStats(httpScope, listenerHttpScope);
        var settings = HttpConnectionManagerSettingsBuilder.Build(proto, path);

        var internalAddresses = new InternalAddresses(InternalRanges(proto, path));
        var routes = BuildRoutes(proto, context, path, out var internalOnlyHeaders);
        var requestHeaders = new RequestHeaderPolicy(proto, internalAddresses, internalOnlyHeaders);

        var filterContext = new HttpFilterContext(server, httpScope, proto.StatPrefix);
        var filters = HttpFilterChainBuilder.Build(proto.HttpFilters, server.Extensions, filterContext, ConfigPath.Join(path, "http_filters"));
        var accessLoggers = AccessLogBuilder.Build(proto.AccessLog, server.Extensions, server.AccessLogContext, ConfigPath.Join(path, "access_log"));
        return new Hcm(
            proto.StatPrefix, settings, stats, requestHeaders, routes, filters, accessLoggers, server.LoggerFactory.CreateLogger("http"));
    }

    private static System.Net.IPNetwork[]? InternalRanges(HcmProto proto, string path)
    {
        if (proto.InternalAddressConfig is null)
        {
            return null;
        }
        var ranges = proto.InternalAddressConfig.CidrRanges;
        var result = new System.Net.IPNetwork[ranges.Count];
        var rangesPath = ConfigPath.Join(path, "internal_address_config.cidr_ranges");
        for (var i = 0; i < ranges.Count; i++)
        {
            result[i] = CidrRanges.Parse(ranges[i], ConfigPath.Index(rangesPath, i));
        }
        return result;
    }

    private static IRouteConfigProvider BuildRoutes(HcmProto proto, NetworkFilterContext context, string path, out string[] internalOnlyHeaders)
    {
        switch (proto.RouteSpecifierCase)
        {
            case HcmProto.RouteSpecifierOneofCase.RouteConfig:
                var clusters = context.Server.ClusterManager;
                var validate = proto.RouteConfig.ValidateClusters ?? true;
                var buildContext = new RouteBuildContext
                {
                    ClusterExists = validate ? name => clusters.Get(name) is not null : null,
                    Formatter = format => SubstitutionFormatter.Parse(format, path, omitEmptyValues: true),
                };
                var table = RouteTable.Build(proto.RouteConfig, buildContext, ConfigPath.Join(path, "route_config"));
                internalOnlyHeaders = [.. proto.RouteConfig.InternalOnlyHeaders];
                return new StaticRouteConfigProvider(table);
            case HcmProto.RouteSpecifierOneofCase.Rds:
                var providers = context.Server.RouteConfigProviders
                    ?? throw new ConfigException(ConfigPath.Join(path, "rds"), "RDS needs a server with xDS support; use an inline route_config");
                // internal_only_headers of an RDS route config are not applied yet (the header policy is fixed at build time).
                internalOnlyHeaders = [];
                return providers.GetOrCreate(proto.Rds, proto.StatPrefix, ConfigPath.Join(path, "rds"));
            case HcmProto.RouteSpecifierOneofCase.ScopedRoutes:
                throw new ConfigException(ConfigPath.Join(path, "scoped_routes"), "scoped routes are not supported yet");
            default:
                throw new ConfigException(path, "one of route_config, rds or scoped_routes must be set");
        }
    }
}
