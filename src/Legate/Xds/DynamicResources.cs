using Envoy.Config.Bootstrap.V3;
using Legate.Config;
using Legate.Listeners;
using Legate.Server;
using Legate.Upstream;
using Legate.Xds.Cds;
using Legate.Xds.Lds;
using Legate.Xds.Rds;

namespace Legate.Xds;

/// <summary>
/// The bootstrap's <c>dynamic_resources</c> and everything xDS the server runs: the subscription factory
/// (shared by CDS, LDS, RDS and EDS), the RDS route config providers, and the CDS and LDS APIs. Init
/// follows Envoy: clusters (static, then CDS and the EDS clusters it brings) before listeners (static,
/// then LDS with their route configurations).
/// </summary>
public sealed class DynamicResources : IAsyncDisposable
{
    private readonly Bootstrap _bootstrap;
    private readonly ServerContext _server;
    private readonly ListenerManager _listeners;
    private readonly TimeSpan _drainTime;

    public DynamicResources(Bootstrap bootstrap, ServerContext server, ListenerManager listeners, TimeSpan drainTime, TimeProvider? time = null)
    {
        _bootstrap = bootstrap;
        _server = server;
        _listeners = listeners;
        _drainTime = drainTime;
        var services = new XdsServices(bootstrap, server, time);
        Subscriptions = new SubscriptionFactory(services, GrpcSubscriptionProviders.Create(services));
        Routes = new RouteConfigProviderManager(Subscriptions, server.Stats, server.ClusterManager, server.LoggerFactory, time);
        server.ClusterManager.SubscriptionFactory = Subscriptions;
        server.RouteConfigProviders = Routes;
    }

    public SubscriptionFactory Subscriptions { get; }

    public RouteConfigProviderManager Routes { get; }

    /// <summary>Null without <c>dynamic_resources.cds_config</c>.</summary>
    public CdsApi? Cds { get; private set; }

    /// <summary>Null without <c>dynamic_resources.lds_config</c>.</summary>
    public LdsApi? Lds { get; private set; }

    /// <summary>Starts CDS and waits for its first response (or failure / initial fetch timeout).</summary>
    public async Task InitializeClustersAsync(CancellationToken cancellationToken)
    {
        var dynamic = _bootstrap.DynamicResources;
        if (dynamic is null || (dynamic.CdsConfig is null && dynamic.CdsResourcesLocator.Length == 0))
        {
            return;
        }
        if (dynamic.CdsConfig is null)
        {
            throw new ConfigException("dynamic_resources.cds_resources_locator", "xdstp:// resource locators are not supported; use cds_config");
        }
        Cds = new CdsApi(dynamic.CdsConfig, "dynamic_resources.cds_config", _server.ClusterManager, Subscriptions, _server.Stats, _server.LoggerFactory);
        Cds.Start();
        await Cds.Init.Initialized.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts LDS and waits until its first listeners are active (or it failed / timed out).</summary>
    public async Task InitializeListenersAsync(CancellationToken cancellationToken)
    {
        var dynamic = _bootstrap.DynamicResources;
        if (dynamic is null || (dynamic.LdsConfig is null && dynamic.LdsResourcesLocator.Length == 0))
        {
            return;
        }
        if (dynamic.LdsConfig is null)
        {
            throw new ConfigException("dynamic_resources.lds_resources_locator", "xdstp:// resource locators are not supported; use lds_config");
        }
        var statics = new List<string>();
        foreach (var listener in _bootstrap.StaticResources?.Listeners ?? [])
        {
            statics.Add(listener.Name);
        }
        Lds = new LdsApi(dynamic.LdsConfig, "dynamic_resources.lds_config", _listeners, _server, Subscriptions, statics, _drainTime);
        Lds.Start();
        await Lds.Init.Initialized.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Lds?.Dispose();
        Cds?.Dispose();
        Routes.Dispose();
        await Subscriptions.DisposeAsync().ConfigureAwait(false);
    }
}
