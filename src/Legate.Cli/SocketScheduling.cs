namespace Legate.Cli;

/// <summary>
/// Socket completions run inline on the runtime's epoll threads instead of hopping to the thread pool.
/// With Kestrel's inline scheduling on HTTP/1 connections, a request then runs from the downstream read to the
/// upstream write on one thread: on the 2-core bench machine this cut Legate's CPU per proxied request
/// by about a sixth (bench/README.md, "Scheduling"). The runtime reads the switch once, from the
/// environment, when the first socket is created, so it is set before anything else runs; an explicit
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 from the operator wins.
/// </summary>
internal static class SocketScheduling
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
