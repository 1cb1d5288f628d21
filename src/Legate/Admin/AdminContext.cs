using Legate.Server;
using Legate.Stats.Rendering;

namespace Legate.Admin;

/// <summary>State the admin handlers share: the server, options, health-check override, runtime overrides.</summary>
public sealed class AdminContext
{
    private volatile bool _healthCheckFailed;

    public AdminContext(LegateServer server, Envoy.Config.Bootstrap.V3.Admin config, AdminOptions options)
    {
        Server = server;
        Config = config;
        Options = options;
        Runtime = new AdminRuntime(server.Bootstrap.LayeredRuntime);
        // --stats-tag pairs are fixed tags on every stat; the store itself only knows the bootstrap's stats_config.
        TagExtractor = options.CommandLine?.StatsTags is { Count: > 0 } cliTags
            ? TagExtractor.Create(server.Stats.Config, cliTags)
            : server.Stats.TagExtractor;
    }

    public LegateServer Server { get; }

    public Envoy.Config.Bootstrap.V3.Admin Config { get; }

    public AdminOptions Options { get; }

    public HistogramIntervals HistogramIntervals { get; } = new();

    public AdminRuntime Runtime { get; }

    /// <summary>Tags for /stats/prometheus: the store's extractors plus the command line's --stats-tag pairs.</summary>
    public TagExtractor TagExtractor { get; }

    /// <summary>When the configuration was loaded (config_dump last_updated for static resources).</summary>
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Set by POST /healthcheck/fail, cleared by /healthcheck/ok.</summary>
    public bool HealthCheckFailed => _healthCheckFailed;

    /// <summary>The drain period /drain_listeners?graceful uses (--drain-time-s).</summary>
    public TimeSpan DrainTime => Options.CommandLine?.DrainTime ?? TimeSpan.FromSeconds(600);

    /// <summary>Envoy's reported state: DRAINING while health checks are failed or the server drains.</summary>
    public ServerState State
    {
        get
        {
            var state = Server.State;
            if (state == ServerState.Live && (_healthCheckFailed || Server.Context.Draining))
            {
                return ServerState.Draining;
            }
            return state;
        }
    }

    public void SetHealthCheckFailed(bool failed)
    {
        _healthCheckFailed = failed;
        // Connection managers read Draining to send "connection: close" and fail health-check filters.
        Server.Context.Draining = failed;
        RefreshServerGauges();
    }

    /// <summary>Brings the server.* gauges Envoy refreshes on every stats flush up to date.</summary>
    public void RefreshServerGauges()
    {
        var stats = Server.ServerStats;
        var state = State;
        stats.State.Set((long)state);
        stats.Live.Set(state == ServerState.Live ? 1 : 0);
        stats.Uptime.Set((long)Server.Uptime.TotalSeconds);
        var gc = GC.GetGCMemoryInfo();
        stats.MemoryAllocated.Set(GC.GetTotalMemory(false));
        stats.MemoryHeapSize.Set(gc.HeapSizeBytes);
        stats.MemoryPhysicalSize.Set(Environment.WorkingSet);
    }
}
