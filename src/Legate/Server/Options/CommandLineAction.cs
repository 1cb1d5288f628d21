namespace Legate.Server;

/// <summary>What the executable should do after parsing its arguments.</summary>
public enum CommandLineAction
{
    /// <summary>Run the server with <see cref="CommandLineResult.Options"/> (any mode).</summary>
    Serve,

    /// <summary>--help / -h: print <see cref="CommandLineResult.Output"/> and exit 0.</summary>
    PrintUsage,

    /// <summary>--version: print <see cref="CommandLineResult.Output"/> and exit 0.</summary>
    PrintVersion,

    /// <summary>--hot-restart-version: print <see cref="CommandLineResult.Output"/> to stderr and exit 0.</summary>
    PrintHotRestartVersion,

    /// <summary>Bad arguments: print <see cref="CommandLineResult.Output"/> to stderr and exit 1.</summary>
    Error,
}
