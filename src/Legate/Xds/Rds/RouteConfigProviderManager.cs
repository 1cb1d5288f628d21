using RdsProto = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.Rds;
using Google.Protobuf;
using Legate.Config;
using Legate.Stats;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Rds;

/// <summary>
/// Hands out one <see cref="RdsRouteConfigProvider"/> per (config source, route_config_name), so listeners
/// that share a route configuration share its subscription. Stats go under
/// <c>http.&lt;stat_prefix&gt;.rds.&lt;route_config_name&gt;.</c> of the first connection manager asking.
/// </summary>
public sealed class RouteConfigProviderManager : IDisposable
{
    private readonly ISubscriptionFactory _subscriptions;
    private readonly StatsStore _stats;
    private readonly ClusterManager _clusters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RdsRouteConfigProvider> _providers = new(StringComparer.Ordinal);

    public RouteConfigProviderManager(ISubscriptionFactory subscriptions, StatsStore stats, ClusterManager clusters, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _subscriptions = subscriptions;
        _stats = stats;
        _clusters = clusters;
        _logger = loggers.CreateLogger("rds");
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Every provider, sorted by route config name (config dump).</summary>
    public List<RdsRouteConfigProvider> Providers
    {
        get
        {
            List<RdsRouteConfigProvider> list;
            lock (_gate)
            {
                list = [.. _providers.Values];
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.RouteConfigName, b.RouteConfigName));
            return list;
        }
    }

    /// <summary>The provider for an HCM's <c>rds</c> block (path = the block's field path); starts its subscription when new.</summary>
    public RdsRouteConfigProvider GetOrCreate(RdsProto rds, string statPrefix, string path)
    {
        if (rds.ConfigSource is null)
        {
            throw new ConfigException(ConfigPath.Join(path, "config_source"), "value is required");
        }
        if (rds.RouteConfigName.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "route_config_name"), "value length must be at least 1 characters");
        }
        var key = rds.ConfigSource.ToByteString().ToBase64() + "/" + rds.RouteConfigName;
        lock (_gate)
        {
            if (_providers.TryGetValue(key, out var existing))
            {
                return existing;
            }
            var stats = new SubscriptionStats(_stats.Scope("http." + statPrefix + ".rds." + StatNames.Sanitize(rds.RouteConfigName)));
            var provider = new RdsRouteConfigProvider(rds.RouteConfigName, stats, _clusters, _logger, _time);
            var subscription = _subscriptions.Create(rds.ConfigSource, RdsRouteConfigProvider.TypeUrl, provider, stats, ConfigPath.Join(path, "config_source"));
            _providers[key] = provider;
            provider.Start(subscription);
            return provider;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var provider in _providers.Values)
            {
                provider.Dispose();
            }
            _providers.Clear();
        }
    }
}
