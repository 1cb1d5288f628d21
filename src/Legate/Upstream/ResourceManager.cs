using Envoy.Config.Core.V3;
using Legate.Stats;

namespace Legate.Upstream;

/// <summary>
/// A cluster's circuit breakers for one routing priority (Envoy's resource manager): max_connections,
/// max_pending_requests, max_requests and max_retries, each a <see cref="ResourceLimit"/> with its
/// <c>circuit_breakers.&lt;default|high&gt;.</c> gauges.
/// </summary>
public sealed class ResourceManager
{
    internal ResourceManager(CircuitBreakerThresholds thresholds, StatsScope clusterScope)
    {
        var scope = clusterScope.Scope(thresholds.Priority == RoutingPriority.High ? "circuit_breakers.high" : "circuit_breakers.default");
        var track = thresholds.TrackRemaining;
        MaxConnectionsPerHost = thresholds.MaxConnectionsPerHost;
        Connections = new ResourceLimit(thresholds.MaxConnections, scope.Gauge("cx_open"), track ? scope.Gauge("remaining_cx") : null);
        PendingRequests = new ResourceLimit(thresholds.MaxPendingRequests, scope.Gauge("rq_pending_open"), track ? scope.Gauge("remaining_pending") : null);
        Requests = new ResourceLimit(thresholds.MaxRequests, scope.Gauge("rq_open"), track ? scope.Gauge("remaining_rq") : null);
        var retryOpen = scope.Gauge("rq_retry_open");
        var retryRemaining = track ? scope.Gauge("remaining_retries") : null;
        Retries = thresholds.RetryBudget is { } budget
            ? new ResourceLimit(() => budget.Allowed(Requests.Count + PendingRequests.Count), retryOpen, retryRemaining)
            : new ResourceLimit(thresholds.MaxRetries, retryOpen, retryRemaining);
    }

    /// <summary>per_host_thresholds max_connections: a host's connections at most (unlimited by default).</summary>
    public uint MaxConnectionsPerHost { get; }

    /// <summary>Upstream connections (open or opening) of the cluster at this priority.</summary>
    public ResourceLimit Connections { get; }

    /// <summary>Requests waiting for a connection.</summary>
    public ResourceLimit PendingRequests { get; }

    /// <summary>Requests in flight upstream.</summary>
    public ResourceLimit Requests { get; }

    /// <summary>
    /// Retries in flight (from the moment one is granted until that attempt's outcome): at most max_retries, or
    /// with a retry_budget its share of the requests in flight and pending.
    /// </summary>
    public ResourceLimit Retries { get; }
}
