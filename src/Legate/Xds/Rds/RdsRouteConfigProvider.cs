using Envoy.Config.Route.V3;
using Legate.Config;
using Legate.Formatting;
using Legate.Http;
using Legate.Router;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Rds;

/// <summary>
/// One RDS route configuration, shared by every connection manager naming the same (config source,
/// route_config_name). Each accepted RouteConfiguration is compiled into a new <see cref="RouteTable"/>
/// and swapped in with one reference write; requests in flight keep the table they matched on.
/// validate_clusters defaults to false for RDS (Envoy), so routes may name clusters CDS has not delivered yet.
/// </summary>
public sealed class RdsRouteConfigProvider : IRouteConfigProvider, ISubscriptionCallbacks, IDisposable
{
    public const string TypeUrl = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private readonly ClusterManager _clusters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private ISubscription? _subscription;
    private RouteTable? _current;

    internal RdsRouteConfigProvider(string routeConfigName, SubscriptionStats stats, ClusterManager clusters, ILogger logger, TimeProvider time)
    {
        RouteConfigName = routeConfigName;
        Stats = stats;
        _clusters = clusters;
        _logger = logger;
        _time = time;
        Init = new InitTarget("RDS " + routeConfigName);
    }

    public string RouteConfigName { get; }

    public SubscriptionStats Stats { get; }

    public InitTarget Init { get; }

    public RouteTable? Current => Volatile.Read(ref _current);

    public Task Initialized => Init.Initialized;

    public string VersionInfo { get; private set; } = string.Empty;

    public DateTimeOffset? LastUpdated { get; private set; }

    internal void Start(ISubscription subscription)
    {
        _subscription = subscription;
        subscription.Start([RouteConfigName]);
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i].Name == RouteConfigName)
            {
                Apply((RouteConfiguration)resources[i].Resource, versionInfo, ConfigPath.Index("resources", i));
                return;
            }
        }
        if (resources.Count > 0)
        {
            throw new ConfigException(ConfigPath.Index("resources", 0), "Unexpected RDS configuration (expecting " + RouteConfigName + "): " + resources[0].Name);
        }
        // Envoy ends warming on an empty response; the routes stay as they were.
        Init.Ready();
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
    {
        for (var i = 0; i < added.Count; i++)
        {
            if (added[i].Name == RouteConfigName)
            {
                Apply((RouteConfiguration)added[i].Resource, systemVersionInfo, ConfigPath.Index("resources", i));
                return;
            }
        }
    }

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
    {
        if (reason == ConfigUpdateFailureReason.FetchTimedOut)
        {
            _logger.LogWarning("RDS route config {Name}: not received within the initial fetch timeout", RouteConfigName);
        }
        if (reason != ConfigUpdateFailureReason.ConnectionFailure)
        {
            Init.Ready();
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void Apply(RouteConfiguration config, string versionInfo, string path)
    {
        var current = Current;
        if (current is not null && current.Config.Equals(config))
        {
            VersionInfo = versionInfo;
            Init.Ready();
            return;
        }
        var clusters = _clusters;
        var context = new RouteBuildContext
        {
            ClusterExists = config.ValidateClusters == true ? name => clusters.Get(name) is not null : null,
            Formatter = format => SubstitutionFormatter.Parse(format, path, omitEmptyValues: true),
        };
        var table = RouteTable.Build(config, context, path);
        Volatile.Write(ref _current, table);
        VersionInfo = versionInfo;
        LastUpdated = _time.GetUtcNow();
        Stats.ConfigReload.Inc();
        Init.Ready();
    }
}
