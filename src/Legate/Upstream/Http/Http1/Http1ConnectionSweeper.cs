using System.Collections.Concurrent;
using System.Diagnostics;

namespace Legate.Upstream.Http.Http1;

/// <summary>
/// One timer for every HTTP/1.1 pool: enforces stream idle timeouts on busy connections and the pool
/// idle_timeout on idle ones. A request then only stamps its connection's last activity instead of
/// arming a timer of its own.
/// </summary>
internal static class Http1ConnectionSweeper
{
    /// <summary>Idle timeouts fire at most this late.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentDictionary<Http1ConnectionPool, byte> s_pools = new();
    private static readonly Lock s_gate = new();
    private static Timer? s_timer;
    private static int s_sweeping;

    public static void Register(Http1ConnectionPool pool)
    {
        s_pools.TryAdd(pool, 0);
        if (Volatile.Read(ref s_timer) is not null)
        {
            return;
        }
        lock (s_gate)
        {
            s_timer ??= new Timer(static _ => Sweep(), null, Period, Period);
        }
    }

    public static void Unregister(Http1ConnectionPool pool) => s_pools.TryRemove(pool, out _);

    private static void Sweep()
    {
        // Timer callbacks may overlap when a pass runs long; one pass at a time is enough.
        if (Interlocked.Exchange(ref s_sweeping, 1) != 0)
        {
            return;
        }
        try
        {
            var now = Stopwatch.GetTimestamp();
            var scratch = new List<Http1Connection>();
            foreach (var pair in s_pools)
            {
                pair.Key.Sweep(now, scratch);
            }
        }
        finally
        {
            Volatile.Write(ref s_sweeping, 0);
        }
    }
}
