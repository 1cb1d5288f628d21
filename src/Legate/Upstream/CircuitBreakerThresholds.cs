using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;

namespace Legate.Upstream;

/// <summary>
/// A cluster's circuit breaker maxima for one routing priority, with Envoy's defaults, as /clusters
/// prints them; <see cref="ResourceManager"/> enforces them.
/// </summary>
public sealed record CircuitBreakerThresholds(
    RoutingPriority Priority,
    uint MaxConnections,
    uint MaxPendingRequests,
    uint MaxRequests,
    uint MaxRetries,
    uint? MaxConnectionPools,
    bool TrackRemaining)
{
    public const uint DefaultMax = 1024;
    public const uint DefaultMaxRetries = 3;

    public static CircuitBreakerThresholds For(CircuitBreakers? breakers, RoutingPriority priority)
    {
        if (breakers is not null)
        {
            foreach (var t in breakers.Thresholds)
            {
                if (t.Priority == priority)
                {
                    return new CircuitBreakerThresholds(
                        priority,
                        t.MaxConnections ?? DefaultMax,
                        t.MaxPendingRequests ?? DefaultMax,
                        t.MaxRequests ?? DefaultMax,
                        t.MaxRetries ?? DefaultMaxRetries,
                        t.MaxConnectionPools,
                        t.TrackRemaining);
                }
            }
        }
        return new CircuitBreakerThresholds(priority, DefaultMax, DefaultMax, DefaultMax, DefaultMaxRetries, null, false);
    }
}
