using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>
/// A DNS cluster's resolution settings. respect_dns_ttl is accepted but cannot be honoured: System.Net.Dns
/// does not return record TTLs, so refreshes always follow dns_refresh_rate. dns_resolvers,
/// typed_dns_resolver_config and use_tcp_for_dns_lookups are accepted and ignored (the system resolver is used).
/// </summary>
internal sealed record DnsSettings(
    TimeSpan RefreshRate,
    TimeSpan FailureBase,
    TimeSpan FailureMax,
    Cluster.Types.DnsLookupFamily Family,
    bool RespectDnsTtl,
    bool WaitForWarmOnInit)
{
    public static readonly TimeSpan DefaultRefreshRate = TimeSpan.FromMilliseconds(5000);

    public static DnsSettings Parse(Cluster config, string path)
    {
        var refresh = DefaultRefreshRate;
        if (config.DnsRefreshRate is not null)
        {
            refresh = config.DnsRefreshRate.ToTimeSpan();
            if (refresh < TimeSpan.FromMilliseconds(1))
            {
                throw new ConfigException(ConfigPath.Join(path, "dns_refresh_rate"), "value must be greater than 1ms");
            }
        }
        var failureBase = refresh;
        var failureMax = refresh;
        if (config.DnsFailureRefreshRate is { } failure)
        {
            var failurePath = ConfigPath.Join(path, "dns_failure_refresh_rate");
            if (failure.BaseInterval is null || failure.BaseInterval.ToTimeSpan() < TimeSpan.FromMilliseconds(1))
            {
                throw new ConfigException(ConfigPath.Join(failurePath, "base_interval"), "value is required and must be greater than 1ms");
            }
            failureBase = failure.BaseInterval.ToTimeSpan();
            failureMax = failure.MaxInterval is null ? failureBase * 10 : failure.MaxInterval.ToTimeSpan();
            if (failureMax < failureBase)
            {
                throw new ConfigException(ConfigPath.Join(failurePath, "max_interval"), "max_interval must be greater than or equal to the base_interval");
            }
        }
        return new DnsSettings(refresh, failureBase, failureMax, config.DnsLookupFamily, config.RespectDnsTtl, config.WaitForWarmOnInit ?? true);
    }

    /// <summary>Delay before retrying after <paramref name="consecutiveFailures"/> failed resolutions (doubling, capped).</summary>
    public TimeSpan FailureDelay(int consecutiveFailures)
    {
        var delay = FailureBase;
        for (var i = 1; i < consecutiveFailures && delay < FailureMax; i++)
        {
            delay *= 2;
        }
        return delay > FailureMax ? FailureMax : delay;
    }
}
