using Legate.Stats;

namespace Legate.Http;

/// <summary>
/// The <c>http.&lt;stat_prefix&gt;.</c> handles of one connection manager, plus the per-listener
/// <c>listener.&lt;addr&gt;.http.&lt;stat_prefix&gt;.downstream_rq_&lt;class&gt;</c> set. Resolved when the
/// connection manager is built; the request path only increments.
/// </summary>
public sealed class ConnectionManagerStats
{
    private readonly Counter[] _rqClass = new Counter[5];
    private readonly Counter[] _listenerRqClass = new Counter[5];

    public ConnectionManagerStats(StatsScope http, StatsScope listenerHttp)
    {
        Store = http.Store;
        DownstreamCxTotal = http.Counter("downstream_cx_total");
        DownstreamCxActive = http.Gauge("downstream_cx_active");
        DownstreamCxDestroy = http.Counter("downstream_cx_destroy");
        DownstreamCxHttp1Total = http.Counter("downstream_cx_http1_total");
        DownstreamCxHttp1Active = http.Gauge("downstream_cx_http1_active");
        DownstreamCxHttp2Total = http.Counter("downstream_cx_http2_total");
        DownstreamCxHttp2Active = http.Gauge("downstream_cx_http2_active");
        DownstreamCxUpgradesTotal = http.Counter("downstream_cx_upgrades_total");
        DownstreamCxUpgradesActive = http.Gauge("downstream_cx_upgrades_active");
        DownstreamCxRxBytesTotal = http.Counter("downstream_cx_rx_bytes_total");
        DownstreamCxTxBytesTotal = http.Counter("downstream_cx_tx_bytes_total");
        DownstreamCxLengthMs = http.Histogram("downstream_cx_length_ms");
        DownstreamRqTotal = http.Counter("downstream_rq_total");
        DownstreamRqHttp1Total = http.Counter("downstream_rq_http1_total");
        DownstreamRqHttp2Total = http.Counter("downstream_rq_http2_total");
        DownstreamRqActive = http.Gauge("downstream_rq_active");
        DownstreamRqCompleted = http.Counter("downstream_rq_completed");
        DownstreamRqTime = http.Histogram("downstream_rq_time");
        DownstreamRqTimeout = http.Counter("downstream_rq_timeout");
        DownstreamRqResponseBeforeRqComplete = http.Counter("downstream_rq_response_before_rq_complete");
        DownstreamRqIdleTimeout = http.Counter("downstream_rq_idle_timeout");
        DownstreamRqMaxDurationReached = http.Counter("downstream_rq_max_duration_reached");
        DownstreamRqRxReset = http.Counter("downstream_rq_rx_reset");
        DownstreamRqTxReset = http.Counter("downstream_rq_tx_reset");
        DownstreamRqWsOnNonWsRoute = http.Counter("downstream_rq_ws_on_non_ws_route");
        DownstreamRqFailedPathNormalization = http.Counter("downstream_rq_failed_path_normalization");
        ListenerDownstreamRqCompleted = listenerHttp.Counter("downstream_rq_completed");
        NoRoute = http.Counter("no_route");
        NoCluster = http.Counter("no_cluster");
        RqRedirect = http.Counter("rq_redirect");
        RqDirectResponse = http.Counter("rq_direct_response");
        RqTotal = http.Counter("rq_total");
        RqResetAfterDownstreamResponseStarted = http.Counter("rq_reset_after_downstream_response_started");
        for (var i = 0; i < 5; i++)
        {
            var name = "downstream_rq_" + (i + 1) + "xx";
            _rqClass[i] = http.Counter(name);
            _listenerRqClass[i] = listenerHttp.Counter(name);
        }
    }

    /// <summary>The store the handles live in, for stats created on demand (virtual clusters).</summary>
    public StatsStore Store { get; }

    public Counter DownstreamCxTotal { get; }

    public Gauge DownstreamCxActive { get; }

    public Counter DownstreamCxDestroy { get; }

    public Counter DownstreamCxHttp1Total { get; }

    public Gauge DownstreamCxHttp1Active { get; }

    public Counter DownstreamCxHttp2Total { get; }

    public Gauge DownstreamCxHttp2Active { get; }

    public Counter DownstreamCxUpgradesTotal { get; }

    public Gauge DownstreamCxUpgradesActive { get; }

    public Counter DownstreamCxRxBytesTotal { get; }

    public Counter DownstreamCxTxBytesTotal { get; }

    public Histogram DownstreamCxLengthMs { get; }

    public Counter DownstreamRqTotal { get; }

    public Counter DownstreamRqHttp1Total { get; }

    public Counter DownstreamRqHttp2Total { get; }

    public Gauge DownstreamRqActive { get; }

    public Counter DownstreamRqCompleted { get; }

    public Histogram DownstreamRqTime { get; }

    public Counter DownstreamRqTimeout { get; }

    public Counter DownstreamRqResponseBeforeRqComplete { get; }

    public Counter DownstreamRqIdleTimeout { get; }

    public Counter DownstreamRqMaxDurationReached { get; }

    public Counter DownstreamRqRxReset { get; }

    public Counter DownstreamRqTxReset { get; }

    public Counter DownstreamRqWsOnNonWsRoute { get; }

    public Counter DownstreamRqFailedPathNormalization { get; }

    public Counter ListenerDownstreamRqCompleted { get; }

    public Counter NoRoute { get; }

    public Counter NoCluster { get; }

    public Counter RqRedirect { get; }

    public Counter RqDirectResponse { get; }

    public Counter RqTotal { get; }

    public Counter RqResetAfterDownstreamResponseStarted { get; }

    /// <summary>Counts a finished response in downstream_rq_&lt;class&gt;xx on both scopes.</summary>
    public void RecordResponseClass(int status)
    {
        var cls = status / 100;
        if (cls is < 1 or > 5)
        {
            return;
        }
        _rqClass[cls - 1].Inc();
        _listenerRqClass[cls - 1].Inc();
    }
}
