using Microsoft.AspNetCore.Connections;

namespace Legate.Listeners;

/// <summary>A network filter of a filter chain. The last one of a chain must be terminal.</summary>
public interface INetworkFilter
{
    /// <summary>
    /// Runs the connection. Non-terminal filters return false to pass the connection on; the terminal
    /// filter owns it until it ends.
    /// </summary>
    Task<bool> OnConnectionAsync(ConnectionContext connection, ListenerConnection listenerConnection);
}
