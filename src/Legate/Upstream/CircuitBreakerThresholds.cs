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
    bool TrackRemaining,
    RetryBudgetSettings? RetryBudget = null,
    uint MaxConnectionsPerHost = uint.MaxValue)
{
    public const uint DefaultMax = 1024;
    public const uint DefaultMaxRetries = 3;

    public static CircuitBreakerThresholds For(CircuitBreakers? breakers, RoutingPriority priority)
    {
        var thresholds = new CircuitBreakerThresholds(priority, DefaultMax, DefaultMax, DefaultMax, DefaultMaxRetries, null, false);
        if (breakers is null)
        {
            return thresholds;
        }
        foreach (var t in breakers.Thresholds)
        {
            if (t.Priority == priority)
            {
                thresholds = new CircuitBreakerThresholds(
                    priority,
                    t.MaxConnections ?? DefaultMax,
                    t.MaxPendingRequests ?? DefaultMax,
                    t.MaxRequests ?? DefaultMax,
                    t.MaxRetries ?? DefaultMaxRetries,
                    t.MaxConnectionPools,
                    t.TrackRemaining,
                    t.RetryBudget is { } budget ? RetryBudgetSettings.From(budget) : null);
                break;
            }
        }
        // per_host_thresholds: Envoy reads only max_connections from them.
        foreach (var t in breakers.PerHostThresholds)
        {
            if (t.Priority == priority && t.MaxConnections is { } perHost)
            {
                return thresholds with { MaxConnectionsPerHost = perHost };
            }
        }
        return thresholds;
    }
}

/// <summary>
/// retry_budget: concurrent retries limited to budget_percent (default 20%) of the active and pending requests,
/// never below min_retry_concurrency (default 3). When set it replaces max_retries, as in Envoy.
/// </summary>
public sealed record RetryBudgetSettings(double BudgetPercent, uint MinRetryConcurrency)
{
    public const double DefaultBudgetPercent = 20;
    public const uint DefaultMinRetryConcurrency = 3;

    public static RetryBudgetSettings From(CircuitBreakers.Types.Thresholds.Types.RetryBudget budget) =>
        new(budget.BudgetPercent?.Value ?? DefaultBudgetPercent, budget.MinRetryConcurrency ?? DefaultMinRetryConcurrency);

    /// <summary>The retries allowed while <paramref name="active"/> requests are in flight or pending.</summary>
    public long Allowed(long active) => Math.Max((long)(BudgetPercent / 100 * active), MinRetryConcurrency);
}
