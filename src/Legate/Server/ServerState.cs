namespace Legate.Server;

/// <summary>Envoy's server states, numbered as the <c>server.state</c> gauge reports them.</summary>
public enum ServerState
{
    Live = 0,
    Draining = 1,
    PreInitializing = 2,
    Initializing = 3,
}
