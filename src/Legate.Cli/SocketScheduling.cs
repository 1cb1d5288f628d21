namespace Legate.Cli;

/// <summary>
/// Socket completions run inline on the runtime's epoll threads instead of hopping to the thread pool.
/// With Kestrel's inline scheduling on HTTP/1 connections, a request then runs from the downstream read to the
/// upstream write on one thread: on the 2-core bench machine this cut Legate's CPU per proxied request
/// by about a sixth (bench/README.md, "Scheduling").
/// <para>
/// Inline, each epoll thread does all the work of the connections it owns, so while the kernel has it
/// preempted (by a load generator or an upstream sharing the cores) every one of them waits. Twice as many
/// epoll threads as cores halves what one preemption stalls: at the same load, p99 -13 to -16% against
/// the runtime's one thread per core, at the same CPU per request (bench/README.md, "Scheduling").
/// </para>
/// The runtime reads both switches once, from the environment, when the first socket is created, so they
/// are set before anything else runs; what the operator set explicitly wins.
/// </summary>
internal static class SocketScheduling
{
    private const string InlineCompletions = Legate.Listeners.Kestrel.SocketCompletions.InlineVariable;
    private const string ThreadCount = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static void Apply()
    {
        var inline = Environment.GetEnvironmentVariable(InlineCompletions);
        if (inline is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
            inline = "1";
        }
        if (inline == "1" && Environment.GetEnvironmentVariable(ThreadCount) is null)
        {
            Environment.SetEnvironmentVariable(ThreadCount, (2 * Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
