namespace Legate.Cli;

/// <summary>--concurrency: Envoy's worker count becomes the thread pool's minimum worker and I/O threads.</summary>
internal static class ThreadPoolSizing
{
    public static void Apply(int concurrency)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, concurrency), Math.Max(io, concurrency));
    }
}
