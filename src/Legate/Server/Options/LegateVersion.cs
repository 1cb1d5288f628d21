namespace Legate.Server;

/// <summary>Version strings in Envoy's shape: <c>&lt;sha&gt;/&lt;version&gt;/&lt;Clean|Modified&gt;/&lt;RELEASE|DEBUG&gt;/&lt;tls library&gt;</c>.</summary>
public static class LegateVersion
{
    public const string ProgramName = "legate";

    public const string Sha = "0000000";

    public const string Number = "1.0.0-dev";

    /// <summary>e.g. <c>0000000/1.0.0-dev/Clean/RELEASE/dotnet</c> (also what /server_info reports).</summary>
    public static string Version { get; } = $"{Sha}/{Number}/Clean/{BuildType}/dotnet";

    /// <summary>The --version line: <c>legate  version: 0000000/1.0.0-dev/Clean/RELEASE/dotnet</c>.</summary>
    public static string VersionLine { get; } = $"{ProgramName}  version: {Version}";

    private static string BuildType =>
#if DEBUG
        "DEBUG";
#else
        "RELEASE";
#endif
}
