namespace Legate.Listeners;

/// <summary>
/// Envoy's connection ids (%CONNECTION_ID%): one sequence for every downstream connection of the
/// process, whichever network filter serves it.
/// </summary>
internal static class ConnectionIds
{
    private static long s_last;

    public static long Next() => Interlocked.Increment(ref s_last);
}
