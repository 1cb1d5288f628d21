using Legate.Stats;

namespace Legate.Listeners;

/// <summary>The <c>listener.&lt;stat_prefix or ip_port&gt;.</c> handles of one listener.</summary>
public sealed class ListenerStats
{
    public ListenerStats(StatsScope scope)
    {
        Scope = scope;
        DownstreamCxTotal = scope.Counter("downstream_cx_total");
        DownstreamCxDestroy = scope.Counter("downstream_cx_destroy");
        DownstreamCxActive = scope.Gauge("downstream_cx_active");
        DownstreamCxLengthMs = scope.Histogram("downstream_cx_length_ms");
        NoFilterChainMatch = scope.Counter("no_filter_chain_match");
        DownstreamCxOverflow = scope.Counter("downstream_cx_overflow");
    }

    public StatsScope Scope { get; }

    public Counter DownstreamCxTotal { get; }

    public Counter DownstreamCxDestroy { get; }

    public Gauge DownstreamCxActive { get; }

    public Histogram DownstreamCxLengthMs { get; }

    public Counter NoFilterChainMatch { get; }

    public Counter DownstreamCxOverflow { get; }
}
