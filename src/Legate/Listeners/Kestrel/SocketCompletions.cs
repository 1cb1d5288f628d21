namespace Legate.Listeners.Kestrel;

/// <summary>
/// The runtime's switch for completing socket operations on its epoll threads instead of the thread pool.
/// The runtime reads it once, from the environment, when the first socket is created: the CLI sets it before
/// that (<c>SocketScheduling</c>), and the listeners schedule HTTP/1 connections by it.
/// </summary>
internal static class SocketCompletions
{
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Inline as the runtime decides it: the variable is exactly "1".</summary>
    public static bool AreInline() => Environment.GetEnvironmentVariable(InlineVariable) == "1";
}
