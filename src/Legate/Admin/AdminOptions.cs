using Legate.Logging;
using Legate.Server;

namespace Legate.Admin;

/// <summary>What the admin server needs beyond the bootstrap: command-line settings and the logging provider.</summary>
public sealed class AdminOptions
{
    /// <summary>--admin-address-path: the bound <c>ip:port</c> is written here after binding.</summary>
    public string? AddressPath { get; init; }

    /// <summary>The application log provider /logging reads and changes; /logging lists nothing without it.</summary>
    public EnvoyLoggerProvider? Logging { get; init; }

    /// <summary>The parsed command line, reported by /server_info (drain time for /drain_listeners).</summary>
    public ServerOptions? CommandLine { get; init; }
}
