using Legate.Stats;

namespace Legate.Xds;

/// <summary>
/// Envoy's xDS subscription stats under a scope such as <c>cluster_manager.cds.</c>,
/// <c>listener_manager.lds.</c>, <c>http.&lt;prefix&gt;.rds.&lt;name&gt;.</c> or <c>cluster.&lt;name&gt;.</c> (EDS).
/// </summary>
public sealed class SubscriptionStats
{
    public SubscriptionStats(StatsScope scope)
    {
        Scope = scope;
        ConfigReload = scope.Counter("config_reload");
        InitFetchTimeout = scope.Counter("init_fetch_timeout");
        UpdateAttempt = scope.Counter("update_attempt");
        UpdateSuccess = scope.Counter("update_success");
        UpdateFailure = scope.Counter("update_failure");
        UpdateRejected = scope.Counter("update_rejected");
        UpdateTime = scope.Gauge("update_time", GaugeImportMode.NeverImport);
        Version = scope.Gauge("version", GaugeImportMode.NeverImport);
        VersionText = scope.TextReadout("version_text");
    }

    public StatsScope Scope { get; }

    public Counter ConfigReload { get; }

    public Counter InitFetchTimeout { get; }

    public Counter UpdateAttempt { get; }

    public Counter UpdateSuccess { get; }

    public Counter UpdateFailure { get; }

    public Counter UpdateRejected { get; }

    public Gauge UpdateTime { get; }

    public Gauge Version { get; }

    public TextReadout VersionText { get; }
}
