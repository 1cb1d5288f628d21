using System.Diagnostics;
using Envoy.Config.Bootstrap.V3;
using Legate.AccessLog;
using Legate.Config;
using Legate.Extensions;
using Legate.Listeners;
using Legate.Stats;
using Legate.Upstream;
using Legate.Xds;
using ClusterManager = Legate.Upstream.ClusterManager;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Server;

/// <summary>
/// A running proxy built from a bootstrap: clusters, listeners, stats. Embeddable: construct it with a
/// bootstrap and options, <see cref="StartAsync"/>, and <see cref="ShutdownAsync"/> when done.
/// </summary>
public sealed class LegateServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly ServerRuntimeOptions _options;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServiceProvider? _forwarderServices;

    public LegateServer(Bootstrap bootstrap, ServerRuntimeOptions options, ILoggerFactory loggerFactory)
    {
        Bootstrap = bootstrap;
        _options = options;
        _logger = loggerFactory.CreateLogger("main");
        Stats = new StatsStore(bootstrap.StatsConfig);
        Extensions = options.Extensions ?? ExtensionRegistry.CreateDefault();
        ClusterManager = new ClusterManager(Stats, loggerFactory);
        _forwarderServices = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        var node = bootstrap.Node;
        LocalInfo = new LocalInfo(
            options.ServiceNode ?? node?.Id ?? string.Empty,
            options.ServiceCluster ?? node?.Cluster ?? string.Empty,
            options.ServiceZone ?? node?.Locality?.Zone ?? string.Empty);
        Context = new ServerContext(
            Stats,
            ClusterManager,
            Extensions,
            loggerFactory,
            _forwarderServices.GetRequiredService<IHttpForwarder>(),
            new AccessLogContext(loggerFactory, options.FileFlushInterval),
            LocalInfo)
        {
            ValidateOnly = options.ValidateOnly,
        };
        ListenerManager = new ListenerManager(Context, options.Concurrency);
        Xds = new DynamicResources(bootstrap, Context, ListenerManager, options.DrainTime);
        Context.Secrets.SubscriptionFactory = Xds.Subscriptions;
        ServerStats = new ServerStats(Stats.Scope("server"), options.Concurrency);
        ServerStats.State.Set((long)ServerState.PreInitializing);
    }

    public Bootstrap Bootstrap { get; }

    public StatsStore Stats { get; }

    public ExtensionRegistry Extensions { get; }

    public ClusterManager ClusterManager { get; }

    public ListenerManager ListenerManager { get; }

    /// <summary>xDS: subscriptions, CDS/LDS, RDS route configs (EDS lives in the cluster manager).</summary>
    public DynamicResources Xds { get; }

    public ServerContext Context { get; }

    public LocalInfo LocalInfo { get; }

    public ServerStats ServerStats { get; }

    public ServerState State { get; private set; } = ServerState.PreInitializing;

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startTimestamp);

    /// <summary>Completes when shutdown was requested (signal, /quitquitquit).</summary>
    public Task ShutdownRequested => _shutdown.Task;

    /// <summary>
    /// Builds every static resource (throwing <see cref="ConfigException"/> with the field path on bad
    /// config) and, unless validating, binds the listeners.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        BootstrapValidator.Validate(Bootstrap);
        SetState(ServerState.Initializing);
        var statics = Bootstrap.StaticResources ?? new Bootstrap.Types.StaticResources();
        Context.Secrets.AddStaticSecrets(statics.Secrets, "static_resources.secrets");
        ClusterManager.AddOrUpdateClusters(statics.Clusters, "static_resources.clusters");
        if (!_options.ValidateOnly)
        {
            await Xds.InitializeClustersAsync(cancellationToken);
        }
        if (_options.ValidateOnly)
        {
            for (var i = 0; i < statics.Listeners.Count; i++)
            {
                ListenerBuilder.Build(statics.Listeners[i], Context, ConfigPath.Index("static_resources.listeners", i));
            }
            return;
        }
        await ClusterManager.InitializeAsync(cancellationToken);
        for (var i = 0; i < statics.Listeners.Count; i++)
        {
            await ListenerManager.AddOrUpdateAsync(statics.Listeners[i], ConfigPath.Index("static_resources.listeners", i), _options.DrainTime, cancellationToken);
        }
        await Xds.InitializeListenersAsync(cancellationToken);
        SetState(ServerState.Live);
        _logger.LogInformation("all listeners started");
    }

    /// <summary>Asks the host to shut down (what SIGTERM and /quitquitquit do).</summary>
    public void RequestShutdown() => _shutdown.TrySetResult();

    /// <summary>SIGUSR1 and /reopen_logs: reopen access log files (after log rotation).</summary>
    public void ReopenAccessLogs() => AccessLogFileManager.For(Context.AccessLogContext).ReopenAll();

    /// <summary>Stops accepting, drains in-flight requests for up to the drain time, then stops.</summary>
    public async Task ShutdownAsync(TimeSpan? drainTime = null)
    {
        SetState(ServerState.Draining);
        Context.Draining = true;
        await ListenerManager.StopAllAsync(drainTime ?? _options.DrainTime);
        AccessLogFileManager.For(Context.AccessLogContext).Dispose();
        _logger.LogInformation("shutdown complete");
    }

    public async ValueTask DisposeAsync()
    {
        Context.Secrets.Dispose();
        await Xds.DisposeAsync();
        await ListenerManager.DisposeAsync();
        ClusterManager.Dispose();
        if (_forwarderServices is not null)
        {
            await _forwarderServices.DisposeAsync();
            _forwarderServices = null;
        }
    }

    private void SetState(ServerState state)
    {
        State = state;
        ServerStats.State.Set((long)state);
        ServerStats.Live.Set(state == ServerState.Live ? 1 : 0);
    }
}
