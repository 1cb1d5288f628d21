using Legate.AccessLog;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>One tcp_proxy filter's compiled config, shared by all its connections.</summary>
internal sealed class TcpProxySettings
{
    /// <summary>Envoy's default <c>idle_timeout</c>.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromHours(1);

    public required string StatPrefix { get; init; }

    public required TcpProxyStats Stats { get; init; }

    public required TcpProxyClusters Clusters { get; init; }

    /// <summary>Null when disabled (0s).</summary>
    public TimeSpan? IdleTimeout { get; init; } = DefaultIdleTimeout;

    public uint MaxConnectAttempts { get; init; } = 1;

    /// <summary><c>backoff_options</c> (base, max); without it a failed attempt is retried at once.</summary>
    public (TimeSpan Base, TimeSpan Max)? ConnectBackoff { get; init; }

    public TimeSpan? MaxDownstreamConnectionDuration { get; init; }

    /// <summary><c>max_downstream_connection_duration_jitter_percentage</c>, 0 to 100.</summary>
    public double DurationJitterPercent { get; init; }

    /// <summary><c>upstream_connect_mode: ON_DOWNSTREAM_DATA</c>: connect once the downstream has sent something.</summary>
    public bool ConnectOnDownstreamData { get; init; }

    public IAccessLogger[] AccessLoggers { get; init; } = [];

    public TimeSpan? AccessLogFlushInterval { get; init; }

    public bool FlushAccessLogOnConnected { get; init; }

    /// <summary>This connection's limit: the configured duration plus up to its jitter percentage.</summary>
    public TimeSpan? DurationLimit()
    {
        if (MaxDownstreamConnectionDuration is not { } duration)
        {
            return null;
        }
        return DurationJitterPercent <= 0 ? duration : duration + duration * (Random.Shared.NextDouble() * DurationJitterPercent / 100);
    }
}
