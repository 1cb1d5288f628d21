using Legate.Stats;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// The <c>tcp.&lt;stat_prefix&gt;.</c> stats. Flow control and upstream flush are counted by Envoy's own
/// buffers; here the pipes and the kernel do that work, so those stay at zero but keep their names.
/// </summary>
internal sealed class TcpProxyStats
{
    public TcpProxyStats(StatsScope scope)
    {
        DownstreamCxTotal = scope.Counter("downstream_cx_total");
        DownstreamCxNoRoute = scope.Counter("downstream_cx_no_route");
        DownstreamCxTxBytesTotal = scope.Counter("downstream_cx_tx_bytes_total");
        DownstreamCxRxBytesTotal = scope.Counter("downstream_cx_rx_bytes_total");
        IdleTimeout = scope.Counter("idle_timeout");
        MaxDownstreamConnectionDuration = scope.Counter("max_downstream_connection_duration");
        scope.Gauge("downstream_cx_tx_bytes_buffered");
        scope.Gauge("downstream_cx_rx_bytes_buffered");
        scope.Counter("downstream_flow_control_paused_reading_total");
        scope.Counter("downstream_flow_control_resumed_reading_total");
        scope.Counter("upstream_flush_total");
        scope.Gauge("upstream_flush_active");
    }

    public Counter DownstreamCxTotal { get; }

    public Counter DownstreamCxNoRoute { get; }

    public Counter DownstreamCxTxBytesTotal { get; }

    public Counter DownstreamCxRxBytesTotal { get; }

    public Counter IdleTimeout { get; }

    public Counter MaxDownstreamConnectionDuration { get; }
}
