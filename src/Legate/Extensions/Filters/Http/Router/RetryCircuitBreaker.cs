using Legate.Stats;
using Legate.Upstream;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// The <c>max_retries</c> circuit breaker of one cluster: retries in flight (from the moment a retry is
/// scheduled until that attempt's outcome is known) may not exceed the threshold. Kept beside the cluster
/// rather than in it (see <see cref="RetryStats"/>).
/// </summary>
internal sealed class RetryCircuitBreaker
{
    private readonly uint _max;
    private readonly Gauge _open;
    private int _active;

    public RetryCircuitBreaker(UpstreamCluster cluster)
    {
        _max = cluster.DefaultPriorityThresholds.MaxRetries;
        _open = cluster.Stats.Scope.Gauge("circuit_breakers.default.rq_retry_open");
    }

    public int Active => Volatile.Read(ref _active);

    /// <summary>Takes a retry slot; false when the cluster already has max_retries retries in flight.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _active);
            if ((uint)current >= _max)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _active, current + 1, current) == current)
            {
                if ((uint)current + 1 >= _max)
                {
                    _open.Set(1);
                }
                return true;
            }
        }
    }

    public void Release()
    {
        var now = Interlocked.Decrement(ref _active);
        if ((uint)now < _max)
        {
            _open.Set(0);
        }
    }
}
