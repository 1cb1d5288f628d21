using Legate.Server;
using Legate.Stats;

namespace Legate.Listeners;

/// <summary>What a network filter factory gets from the listener it is built for.</summary>
public sealed class NetworkFilterContext
{
    public NetworkFilterContext(ServerContext server, string listenerName, StatsScope listenerScope)
    {
        Server = server;
        ListenerName = listenerName;
        ListenerScope = listenerScope;
    }

    public ServerContext Server { get; }

    public string ListenerName { get; }

    /// <summary>The <c>listener.&lt;addr&gt;.</c> scope.</summary>
    public StatsScope ListenerScope { get; }
}
