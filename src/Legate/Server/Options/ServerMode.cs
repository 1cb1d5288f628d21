namespace Legate.Server;

/// <summary>--mode: serve traffic, validate the configuration and exit, or initialize fully and exit.</summary>
public enum ServerMode
{
    Serve,
    Validate,
    InitOnly,
}
