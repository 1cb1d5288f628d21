using Legate.Extensions;

namespace Legate.Server;

/// <summary>The command-line settings the running server needs (a subset of <see cref="ServerOptions"/>, usable when embedding).</summary>
public sealed class ServerRuntimeOptions
{
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(600);

    public int Concurrency { get; init; } = Environment.ProcessorCount;

    public string? ServiceNode { get; init; }

    public string? ServiceCluster { get; init; }

    public string? ServiceZone { get; init; }

    public TimeSpan FileFlushInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool ValidateOnly { get; init; }

    /// <summary>A registry with extra (C#) extensions; the built-in one when null.</summary>
    public ExtensionRegistry? Extensions { get; init; }
}
