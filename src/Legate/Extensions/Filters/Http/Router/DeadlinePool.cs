using System.Collections.Concurrent;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Reuses the per-request deadline <see cref="CancellationTokenSource"/> (route timeout, max stream
/// duration): one that did not fire is reset and kept, so a request allocates no source and no timer.
/// </summary>
internal static class DeadlinePool
{
    private const int MaxPooled = 256;
    private static readonly ConcurrentQueue<CancellationTokenSource> s_pool = new();

    public static CancellationTokenSource Rent(TimeSpan deadline)
    {
        if (s_pool.TryDequeue(out var cts))
        {
            cts.CancelAfter(deadline);
            return cts;
        }
        return new CancellationTokenSource(deadline);
    }

    public static void Return(CancellationTokenSource cts)
    {
        if (s_pool.Count < MaxPooled && cts.TryReset())
        {
            s_pool.Enqueue(cts);
            return;
        }
        cts.Dispose();
    }
}
