using Legate.Stats;

namespace Legate.Server;

/// <summary>The <c>server.</c> gauges and counters.</summary>
public sealed class ServerStats
{
    public ServerStats(StatsScope scope, int concurrency)
    {
        Uptime = scope.Gauge("uptime", GaugeImportMode.NeverImport);
        Live = scope.Gauge("live", GaugeImportMode.NeverImport);
        State = scope.Gauge("state", GaugeImportMode.NeverImport);
        Concurrency = scope.Gauge("concurrency", GaugeImportMode.NeverImport);
        Concurrency.Set(concurrency);
        Version = scope.Gauge("version", GaugeImportMode.NeverImport);
        HotRestartEpoch = scope.Gauge("hot_restart_epoch", GaugeImportMode.NeverImport);
        MemoryAllocated = scope.Gauge("memory_allocated", GaugeImportMode.NeverImport);
        MemoryHeapSize = scope.Gauge("memory_heap_size", GaugeImportMode.NeverImport);
        MemoryPhysicalSize = scope.Gauge("memory_physical_size", GaugeImportMode.NeverImport);
        TotalConnections = scope.Gauge("total_connections", GaugeImportMode.Accumulate);
        ParentConnections = scope.Gauge("parent_connections", GaugeImportMode.Accumulate);
        StaticUnknownFields = scope.Counter("static_unknown_fields");
        DynamicUnknownFields = scope.Counter("dynamic_unknown_fields");
        DebugAssertionFailures = scope.Counter("debug_assertion_failures");
        EnvoyBugFailures = scope.Counter("envoy_bug_failures");
        InitializationTimeMs = scope.Histogram("initialization_time_ms");
    }

    public Gauge Uptime { get; }

    public Gauge Live { get; }

    public Gauge State { get; }

    public Gauge Concurrency { get; }

    public Gauge Version { get; }

    public Gauge HotRestartEpoch { get; }

    public Gauge MemoryAllocated { get; }

    public Gauge MemoryHeapSize { get; }

    public Gauge MemoryPhysicalSize { get; }

    public Gauge TotalConnections { get; }

    public Gauge ParentConnections { get; }

    public Counter StaticUnknownFields { get; }

    public Counter DynamicUnknownFields { get; }

    public Counter DebugAssertionFailures { get; }

    public Counter EnvoyBugFailures { get; }

    public Histogram InitializationTimeMs { get; }
}
