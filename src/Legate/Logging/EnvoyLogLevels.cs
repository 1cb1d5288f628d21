using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>
/// Envoy's level vocabulary (spdlog names) mapped one to one onto <see cref="LogLevel"/>:
/// trace, debug, info, warning (input alias warn), error, critical, off.
/// </summary>
public static class EnvoyLogLevels
{
    /// <summary>The list Envoy prints in its usage text and error hints.</summary>
    public const string AllowedLevelsText = "[trace][debug][info][warning|warn][error][critical][off]";

    public static bool TryParse(string? text, out LogLevel level)
    {
        switch (text)
        {
            case "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "info": level = LogLevel.Information; return true;
            case "warning":
            case "warn": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "critical": level = LogLevel.Critical; return true;
            case "off": level = LogLevel.None; return true;
            default: level = LogLevel.None; return false;
        }
    }

    /// <summary>The name Envoy prints for a level (in log lines and in the admin /logging listing).</summary>
    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "off",
    };

    /// <summary>spdlog's one-letter level (%L).</summary>
    internal static string ShortName(LogLevel level) => level switch
    {
        LogLevel.Trace => "T",
        LogLevel.Debug => "D",
        LogLevel.Information => "I",
        LogLevel.Warning => "W",
        LogLevel.Error => "E",
        LogLevel.Critical => "C",
        _ => "O",
    };

    /// <summary>Envoy's message for a level it does not know.</summary>
    public static string InvalidLevelError(string text) => $"error: invalid log level specified '{text}'";
}
