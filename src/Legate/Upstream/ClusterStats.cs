using System.Globalization;
using Legate.Stats;

namespace Legate.Upstream;

/// <summary>
/// The <c>cluster.&lt;stat name&gt;.</c> stats, resolved when the cluster is built. Envoy creates the
/// cluster's fixed stats with the cluster (so /stats lists them at 0); the router's dynamic stats
/// (upstream_rq_completed, upstream_rq_&lt;code&gt;, upstream_rq_&lt;class&gt;xx, upstream_rq_time) appear on first use,
/// each created once and then cached.
/// </summary>
public sealed class ClusterStats
{
    // Counters Envoy creates with every cluster and that nothing here increments yet; created so /stats shows them.
    private static readonly string[] s_otherCounters =
    [
        "upstream_cx_http3_total", "upstream_cx_connect_with_0_rtt", "upstream_cx_idle_timeout", "upstream_cx_max_duration_reached",
        "upstream_cx_connect_attempts_exceeded", "upstream_cx_overflow", "upstream_cx_destroy_local", "upstream_cx_destroy_remote",
        "upstream_cx_destroy_with_active_rq", "upstream_cx_destroy_local_with_active_rq", "upstream_cx_destroy_remote_with_active_rq",
        "upstream_cx_close_notify", "upstream_cx_pool_overflow", "upstream_cx_protocol_error", "upstream_cx_max_requests",
        "upstream_rq_pending_failure_eject", "upstream_rq_cancelled", "upstream_rq_maintenance_mode",
        "upstream_rq_max_duration_reached", "upstream_rq_per_try_timeout", "upstream_rq_per_try_idle_timeout",
        "upstream_rq_rx_reset", "upstream_rq_tx_reset", "upstream_rq_retry", "upstream_rq_retry_backoff_exponential",
        "upstream_rq_retry_backoff_ratelimited", "upstream_rq_retry_limit_exceeded", "upstream_rq_retry_success",
        "upstream_rq_retry_overflow", "upstream_flow_control_paused_reading_total", "upstream_flow_control_resumed_reading_total",
        "upstream_flow_control_backed_up_total", "upstream_flow_control_drained_total", "upstream_internal_redirect_failed_total",
        "upstream_internal_redirect_succeeded_total", "retry_or_shadow_abandoned", "config_reload", "update_empty",
        "init_fetch_timeout", "bind_errors", "assignment_timeout_received", "assignment_stale",
        "lb_recalculate_zone_structures", "lb_zone_cluster_too_small", "lb_zone_routing_all_directly", "lb_zone_routing_sampled",
        "lb_zone_routing_cross_zone", "lb_local_cluster_not_ok", "lb_zone_no_capacity_left", "original_dst_host_invalid",
    ];

    private static readonly string[] s_otherAccumulatingGauges = ["upstream_cx_rx_bytes_buffered", "upstream_cx_tx_bytes_buffered"];

    private static readonly string[] s_otherGauges = ["update_time", "version", "warming_state"];

    private static readonly string[] s_circuitBreakerGauges = ["cx_open", "cx_pool_open", "rq_pending_open", "rq_open", "rq_retry_open"];

    private readonly StatsScope _scope;
    private readonly Counter?[] _byCode = new Counter?[600];
    private readonly Counter?[] _byClass = new Counter?[6];
    private Counter? _rqCompleted;
    private Histogram? _rqTime;

    internal ClusterStats(StatsScope scope)
    {
        _scope = scope;
        UpstreamCxTotal = scope.Counter("upstream_cx_total");
        UpstreamCxActive = scope.Gauge("upstream_cx_active");
        UpstreamCxHttp1Total = scope.Counter("upstream_cx_http1_total");
        UpstreamCxHttp2Total = scope.Counter("upstream_cx_http2_total");
        UpstreamCxConnectFail = scope.Counter("upstream_cx_connect_fail");
        UpstreamCxConnectTimeout = scope.Counter("upstream_cx_connect_timeout");
        UpstreamCxConnectMs = scope.Histogram("upstream_cx_connect_ms");
        UpstreamCxLengthMs = scope.Histogram("upstream_cx_length_ms");
        UpstreamCxDestroy = scope.Counter("upstream_cx_destroy");
        UpstreamCxRxBytesTotal = scope.Counter("upstream_cx_rx_bytes_total");
        UpstreamCxTxBytesTotal = scope.Counter("upstream_cx_tx_bytes_total");
        UpstreamCxNoneHealthy = scope.Counter("upstream_cx_none_healthy");
        UpstreamRqTotal = scope.Counter("upstream_rq_total");
        UpstreamRqActive = scope.Gauge("upstream_rq_active");
        UpstreamRqPendingTotal = scope.Counter("upstream_rq_pending_total");
        UpstreamRqPendingOverflow = scope.Counter("upstream_rq_pending_overflow");
        UpstreamRqPendingActive = scope.Gauge("upstream_rq_pending_active");
        UpstreamRqPerCx = scope.Histogram("upstream_rq_per_cx", HistogramUnit.Unspecified);
        UpstreamRqTimeout = scope.Counter("upstream_rq_timeout");
        MembershipChange = scope.Counter("membership_change");
        MembershipHealthy = scope.Gauge("membership_healthy", GaugeImportMode.NeverImport);
        MembershipDegraded = scope.Gauge("membership_degraded", GaugeImportMode.NeverImport);
        MembershipExcluded = scope.Gauge("membership_excluded", GaugeImportMode.NeverImport);
        MembershipTotal = scope.Gauge("membership_total", GaugeImportMode.NeverImport);
        MaxHostWeight = scope.Gauge("max_host_weight", GaugeImportMode.NeverImport);
        LbHealthyPanic = scope.Counter("lb_healthy_panic");
        UpdateAttempt = scope.Counter("update_attempt");
        UpdateSuccess = scope.Counter("update_success");
        UpdateFailure = scope.Counter("update_failure");
        UpdateRejected = scope.Counter("update_rejected");
        UpdateNoRebuild = scope.Counter("update_no_rebuild");
        UpdateDuration = scope.Histogram("update_duration");
        foreach (var name in s_otherCounters)
        {
            scope.Counter(name);
        }
        foreach (var name in s_otherAccumulatingGauges)
        {
            scope.Gauge(name);
        }
        foreach (var name in s_otherGauges)
        {
            scope.Gauge(name, GaugeImportMode.NeverImport);
        }
        foreach (var priority in (ReadOnlySpan<string>)["default", "high"])
        {
            var cb = scope.Scope("circuit_breakers." + priority);
            foreach (var name in s_circuitBreakerGauges)
            {
                cb.Gauge(name);
            }
        }
    }

    /// <summary>"cluster.&lt;stat name&gt;." prefix.</summary>
    public string Prefix => _scope.Prefix;

    public StatsScope Scope => _scope;

    public Counter UpstreamCxTotal { get; }
    public Gauge UpstreamCxActive { get; }
    public Counter UpstreamCxHttp1Total { get; }
    public Counter UpstreamCxHttp2Total { get; }
    public Counter UpstreamCxConnectFail { get; }
    public Counter UpstreamCxConnectTimeout { get; }
    public Histogram UpstreamCxConnectMs { get; }
    public Histogram UpstreamCxLengthMs { get; }
    public Counter UpstreamCxDestroy { get; }
    public Counter UpstreamCxRxBytesTotal { get; }
    public Counter UpstreamCxTxBytesTotal { get; }

    /// <summary>Incremented by ChooseHost when it finds no host (the caller answers 503 and must not count again).</summary>
    public Counter UpstreamCxNoneHealthy { get; }
    public Counter UpstreamRqTotal { get; }
    public Gauge UpstreamRqActive { get; }
    public Counter UpstreamRqPendingTotal { get; }
    public Counter UpstreamRqPendingOverflow { get; }
    public Gauge UpstreamRqPendingActive { get; }
    public Histogram UpstreamRqPerCx { get; }
    public Counter UpstreamRqTimeout { get; }
    public Counter MembershipChange { get; }
    public Gauge MembershipHealthy { get; }
    public Gauge MembershipDegraded { get; }
    public Gauge MembershipExcluded { get; }
    public Gauge MembershipTotal { get; }
    public Gauge MaxHostWeight { get; }
    public Counter LbHealthyPanic { get; }
    public Counter UpdateAttempt { get; }
    public Counter UpdateSuccess { get; }
    public Counter UpdateFailure { get; }
    public Counter UpdateRejected { get; }
    public Counter UpdateNoRebuild { get; }
    public Histogram UpdateDuration { get; }

    /// <summary>upstream_rq_completed (router dynamic stat).</summary>
    public Counter UpstreamRqCompleted => _rqCompleted ??= _scope.Counter("upstream_rq_completed");

    /// <summary>upstream_rq_time in milliseconds (router dynamic stat).</summary>
    public Histogram UpstreamRqTime => _rqTime ??= _scope.Histogram("upstream_rq_time");

    /// <summary>upstream_rq_&lt;code&gt; for a response status (100..599); other values clamp into the cache's range.</summary>
    public Counter UpstreamRqCode(int statusCode)
    {
        var code = (uint)statusCode < (uint)_byCode.Length ? statusCode : 0;
        return _byCode[code] ?? CreateCode(code);
    }

    /// <summary>upstream_rq_&lt;class&gt;xx for a response status (1xx..5xx).</summary>
    public Counter UpstreamRqClass(int statusCode)
    {
        var cls = statusCode / 100;
        if ((uint)cls >= (uint)_byClass.Length)
        {
            cls = 0;
        }
        return _byClass[cls] ?? CreateClass(cls);
    }

    /// <summary>Counts a finished upstream response the way the router does: completed, &lt;code&gt;, &lt;class&gt;xx.</summary>
    public void RecordResponse(int statusCode)
    {
        UpstreamRqCompleted.Inc();
        UpstreamRqCode(statusCode).Inc();
        UpstreamRqClass(statusCode).Inc();
    }

    private Counter CreateCode(int code)
    {
        // Racing creators get the same handle from the store, so the cache can be filled without a lock.
        var counter = _scope.Counter("upstream_rq_" + code.ToString(CultureInfo.InvariantCulture));
        Volatile.Write(ref _byCode[code], counter);
        return counter;
    }

    private Counter CreateClass(int cls)
    {
        var counter = _scope.Counter("upstream_rq_" + cls.ToString(CultureInfo.InvariantCulture) + "xx");
        Volatile.Write(ref _byClass[cls], counter);
        return counter;
    }
}
