using System.Runtime.CompilerServices;
using Legate.Stats;
using Legate.Upstream;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// A cluster's retry counters (<c>cluster.&lt;name&gt;.upstream_rq_retry*</c>, per-try timeouts, abandoned
/// retries), resolved on the cluster's first retry-enabled request and
/// cached beside the cluster object.
/// </summary>
internal sealed class RetryStats
{
    private static readonly ConditionalWeakTable<UpstreamCluster, RetryStats> s_byCluster = new();

    private readonly StatsScope _scope;

    private RetryStats(UpstreamCluster cluster)
    {
        _scope = cluster.Stats.Scope;
        Retry = _scope.Counter("upstream_rq_retry");
        RetrySuccess = _scope.Counter("upstream_rq_retry_success");
        RetryLimitExceeded = _scope.Counter("upstream_rq_retry_limit_exceeded");
        RetryOverflow = _scope.Counter("upstream_rq_retry_overflow");
        RetryBackOffExponential = _scope.Counter("upstream_rq_retry_backoff_exponential");
        PerTryTimeout = _scope.Counter("upstream_rq_per_try_timeout");
        RetryOrShadowAbandoned = _scope.Counter("retry_or_shadow_abandoned");
    }

    public Counter Retry { get; }

    public Counter RetrySuccess { get; }

    public Counter RetryLimitExceeded { get; }

    public Counter RetryOverflow { get; }

    public Counter RetryBackOffExponential { get; }

    public Counter PerTryTimeout { get; }

    public Counter RetryOrShadowAbandoned { get; }

    public static RetryStats For(UpstreamCluster cluster) =>
        s_byCluster.GetValue(cluster, static c => new RetryStats(c));

    /// <summary>A response that was retried: Envoy charges it under <c>retry.upstream_rq_&lt;code&gt;</c> instead of the final codes.</summary>
    public void ChargeRetriedResponse(int status)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _scope.Counter("retry.upstream_rq_completed").Inc();
        _scope.Counter("retry.upstream_rq_" + code).Inc();
        _scope.Counter("retry.upstream_rq_" + code[0] + "xx").Inc();
    }
}
