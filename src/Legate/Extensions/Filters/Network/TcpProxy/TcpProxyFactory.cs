using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.AccessLog;
using Legate.Config;
using Legate.Listeners;
using Proto = Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy;
using ConnectMode = Envoy.Extensions.Filters.Network.TcpProxy.V3.UpstreamConnectMode;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>Builds <c>envoy.filters.network.tcp_proxy</c> from its typed_config.</summary>
internal sealed class TcpProxyFactory : INetworkFilterFactory
{
    public string Name => "envoy.filters.network.tcp_proxy";

    public string Category => "envoy.filters.network";

    public string ConfigTypeName => "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

    public MessageParser ConfigParser => Proto.Parser;

    public bool IsTerminal => true;

    public INetworkFilter Create(IMessage config, NetworkFilterContext context, string path) =>
        new TcpProxyFilter(Build((Proto)config, context, path), context.Server.ClusterManager);

    internal static TcpProxySettings Build(Proto proto, NetworkFilterContext context, string path)
    {
        if (proto.StatPrefix.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "stat_prefix"), "value length must be at least 1 characters");
        }
        Unsupported(proto.TunnelingConfig is not null, path, "tunneling_config", "tunneling TCP over HTTP is not supported yet");
        Unsupported(proto.OnDemand is not null, path, "on_demand", "on-demand cluster discovery is not supported yet");
        if (proto.HashPolicy.Count > 1)
        {
            throw new ConfigException(ConfigPath.Join(path, "hash_policy"), "value must contain at most 1 item(s), got " + proto.HashPolicy.Count.ToString(CultureInfo.InvariantCulture));
        }
        var clusters = TcpProxyClusters.Build(proto, path);

        var attempts = proto.MaxConnectAttempts ?? 1;
        if (attempts < 1)
        {
            throw new ConfigException(ConfigPath.Join(path, "max_connect_attempts"), "value 0 must be greater than or equal to 1");
        }
        var server = context.Server;
        var flushInterval = proto.AccessLogOptions?.AccessLogFlushInterval ?? proto.AccessLogFlushInterval;
        return new TcpProxySettings
        {
            StatPrefix = proto.StatPrefix,
            Stats = new TcpProxyStats(server.Stats.Scope("tcp." + proto.StatPrefix)),
            Clusters = clusters,
            IdleTimeout = IdleTimeout(proto, path),
            MaxConnectAttempts = attempts,
            ConnectBackoff = Backoff(proto, path),
            MaxDownstreamConnectionDuration = proto.MaxDownstreamConnectionDuration is null ? null
                : AtLeastOneMillisecond(proto.MaxDownstreamConnectionDuration, ConfigPath.Join(path, "max_downstream_connection_duration")),
            DurationJitterPercent = Jitter(proto, path),
            ConnectOnDownstreamData = proto.UpstreamConnectMode == ConnectMode.OnDownstreamData,
            AccessLoggers = AccessLogBuilder.Build(proto.AccessLog, server.Extensions, server.AccessLogContext, ConfigPath.Join(path, "access_log")),
            AccessLogFlushInterval = flushInterval is null ? null
                : AtLeastOneMillisecond(flushInterval, ConfigPath.Join(path, proto.AccessLogOptions?.AccessLogFlushInterval is null
                    ? "access_log_flush_interval" : "access_log_options.access_log_flush_interval")),
            FlushAccessLogOnConnected = proto.AccessLogOptions?.FlushAccessLogOnConnected ?? proto.FlushAccessLogOnConnected,
        };
    }

    private static void Unsupported(bool set, string path, string field, string detail)
    {
        if (set)
        {
            throw new ConfigException(ConfigPath.Join(path, field), detail);
        }
    }

    /// <summary>Envoy's default of one hour when unset; 0s disables it.</summary>
    private static TimeSpan? IdleTimeout(Proto proto, string path)
    {
        if (proto.IdleTimeout is null)
        {
            return TcpProxySettings.DefaultIdleTimeout;
        }
        var idle = NonNegative(proto.IdleTimeout, ConfigPath.Join(path, "idle_timeout"));
        return idle == TimeSpan.Zero ? null : idle;
    }

    private static (TimeSpan, TimeSpan)? Backoff(Proto proto, string path)
    {
        if (proto.BackoffOptions is not { } options)
        {
            return null;
        }
        var optionsPath = ConfigPath.Join(path, "backoff_options");
        if (options.BaseInterval is null)
        {
            throw new ConfigException(ConfigPath.Join(optionsPath, "base_interval"), "value is required");
        }
        var baseInterval = AtLeastOneMillisecond(options.BaseInterval, ConfigPath.Join(optionsPath, "base_interval"));
        // As Envoy's JitteredExponentialBackOffStrategy: the max defaults to ten times the base.
        var max = options.MaxInterval is null ? baseInterval * 10 : NonNegative(options.MaxInterval, ConfigPath.Join(optionsPath, "max_interval"));
        if (max < baseInterval)
        {
            throw new ConfigException(ConfigPath.Join(optionsPath, "max_interval"),
                "max_interval " + Seconds(max) + " must be greater than or equal to the base_interval " + Seconds(baseInterval));
        }
        return (baseInterval, max);
    }

    private static double Jitter(Proto proto, string path)
    {
        if (proto.MaxDownstreamConnectionDurationJitterPercentage is not { } jitter)
        {
            return 0;
        }
        if (jitter.Value is < 0 or > 100 || double.IsNaN(jitter.Value))
        {
            throw new ConfigException(ConfigPath.Join(path, "max_downstream_connection_duration_jitter_percentage.value"),
                "value " + jitter.Value.ToString(CultureInfo.InvariantCulture) + " must be between 0 and 100");
        }
        return jitter.Value;
    }

    private static TimeSpan NonNegative(Duration value, string path)
    {
        var span = value.ToTimeSpan();
        if (span < TimeSpan.Zero)
        {
            throw new ConfigException(path, "value " + Seconds(span) + " must be greater than or equal to 0s");
        }
        return span;
    }

    private static TimeSpan AtLeastOneMillisecond(Duration value, string path)
    {
        var span = value.ToTimeSpan();
        if (span < TimeSpan.FromMilliseconds(1))
        {
            throw new ConfigException(path, "value " + Seconds(span) + " must be greater than or equal to 0.001s");
        }
        return span;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
