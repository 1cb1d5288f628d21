using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>What the application log needs from the command line (-l, --component-log-level, --log-format,
/// --log-format-escaped, --log-path).</summary>
public sealed class LogSettings
{
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Per-component overrides; every key must be one of <see cref="LogComponents.Names"/>.</summary>
    public IReadOnlyDictionary<string, LogLevel> ComponentLevels { get; init; } = new Dictionary<string, LogLevel>();

    public string Format { get; init; } = LogPattern.DefaultFormat;

    public bool FormatEscaped { get; init; }

    /// <summary>Application log file; empty means stderr.</summary>
    public string LogPath { get; init; } = "";
}
