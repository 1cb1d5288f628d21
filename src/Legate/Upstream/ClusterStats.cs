using System.Globalization;
using Legate.Stats;

namespace Legate.Upstream;

/// <summary>
/// The <c>cluster.&lt;stat name&gt;.</c> stats, resolved when the cluster is built. As in Envoy, the stats
/// Legate maintains, the circuit breaker gauges and the buffered-bytes gauges exist from the start (so
/// /stats lists them at 0); the router's dynamic stats (upstream_rq_completed, upstream_rq_&lt;code&gt;,
/// upstream_rq_&lt;class&gt;xx, upstream_rq_time) appear on first use, each created once and then cached.
/// Envoy's other traffic stats for features Legate lacks (retries, per-try timeouts, flow control, zone
/// routing, ...) are created by whatever first counts them (e.g. the router's upstream_rq_cancelled), as
/// with Envoy's deferred stat creation: each stat costs about 200 bytes, and registering ~60 always-zero
/// ones per cluster tripled the memory of a 10,000-cluster config. EDS clusters' config stats
/// (version, update_time, config_reload, ...) come with their subscription.
/// </summary>
public sealed class ClusterStats
{
    // Gauges Envoy creates with every cluster that nothing here changes yet; created so /stats and dashboards show them.
    private static readonly string[] s_otherAccumulatingGauges = ["upstream_cx_rx_bytes_buffered", "upstream_cx_tx_bytes_buffered"];

    private static readonly string[] s_circuitBreakerGauges = ["cx_open", "cx_pool_open", "rq_pending_open", "rq_open", "rq_retry_open"];

    private const int CodeSlots = 600;
    private const int ClassSlots = 6;

    private readonly StatsScope _scope;
    // Allocated on the first response: 600 slots are ~5 KB, a lot for clusters that never see traffic.
    private Counter?[]? _byCode;
    private Counter?[]? _byClass;
    private Counter? _rqCompleted;
    private Counter? _cxOverflow;
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
        foreach (var name in s_otherAccumulatingGauges)
        {
            scope.Gauge(name);
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

    /// <summary>Sets the membership gauges together (a host set was published, or the cluster was removed).</summary>
    public void SetMembership(long total, long healthy, long degraded, long excluded)
    {
        MembershipTotal.Set(total);
        MembershipHealthy.Set(healthy);
        MembershipDegraded.Set(degraded);
        MembershipExcluded.Set(excluded);
    }

    /// <summary>upstream_cx_overflow: max_connections refused a connection (the HTTP/1.1 pool, tcp_proxy); created on first use.</summary>
    public Counter UpstreamCxOverflow => _cxOverflow ??= _scope.Counter("upstream_cx_overflow");

    /// <summary>upstream_rq_completed (router dynamic stat).</summary>
    public Counter UpstreamRqCompleted => _rqCompleted ??= _scope.Counter("upstream_rq_completed");

    /// <summary>upstream_rq_time in milliseconds (router dynamic stat).</summary>
    public Histogram UpstreamRqTime => _rqTime ??= _scope.Histogram("upstream_rq_time");

    /// <summary>upstream_rq_&lt;code&gt; for a response status (100..599); other values clamp into the cache's range.</summary>
    public Counter UpstreamRqCode(int statusCode)
    {
        var byCode = Volatile.Read(ref _byCode) ?? CreateCache(ref _byCode, CodeSlots);
        var code = (uint)statusCode < (uint)byCode.Length ? statusCode : 0;
        return byCode[code] ?? CreateCode(byCode, code);
    }

    /// <summary>upstream_rq_&lt;class&gt;xx for a response status (1xx..5xx).</summary>
    public Counter UpstreamRqClass(int statusCode)
    {
        var byClass = Volatile.Read(ref _byClass) ?? CreateCache(ref _byClass, ClassSlots);
        var cls = statusCode / 100;
        if ((uint)cls >= (uint)byClass.Length)
        {
            cls = 0;
        }
        return byClass[cls] ?? CreateClass(byClass, cls);
    }

    /// <summary>Counts a finished upstream response the way the router does: completed, &lt;code&gt;, &lt;class&gt;xx.</summary>
    public void RecordResponse(int statusCode)
    {
        UpstreamRqCompleted.Inc();
        UpstreamRqCode(statusCode).Inc();
        UpstreamRqClass(statusCode).Inc();
    }

    private static Counter?[] CreateCache(ref Counter?[]? field, int slots) =>
        Interlocked.CompareExchange(ref field, new Counter?[slots], null) ?? Volatile.Read(ref field)!;

    private Counter CreateCode(Counter?[] byCode, int code)
    {
        // Racing creators get the same handle from the store, so the cache can be filled without a lock.
        var counter = _scope.Counter("upstream_rq_" + code.ToString(CultureInfo.InvariantCulture));
        Volatile.Write(ref byCode[code], counter);
        return counter;
    }

    private Counter CreateClass(Counter?[] byClass, int cls)
    {
        var counter = _scope.Counter("upstream_rq_" + cls.ToString(CultureInfo.InvariantCulture) + "xx");
        Volatile.Write(ref byClass[cls], counter);
        return counter;
    }
}
