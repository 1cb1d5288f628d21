using Legate.Server;
using Legate.Stats;

namespace Legate.Http;

/// <summary>What an HTTP filter factory gets from the connection manager it is built for.</summary>
public sealed class HttpFilterContext
{
    public HttpFilterContext(ServerContext server, StatsScope httpScope, string statPrefix)
    {
        Server = server;
        HttpScope = httpScope;
        StatPrefix = statPrefix;
    }

    public ServerContext Server { get; }

    /// <summary>The <c>http.&lt;stat_prefix&gt;.</c> scope.</summary>
    public StatsScope HttpScope { get; }

    public string StatPrefix { get; }
}
