using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>Parses Envoy's <c>component:level,component:level</c> syntax (--component-log-level, /logging?paths=).</summary>
public static class ComponentLogLevels
{
    /// <summary>
    /// Parses <paramref name="text"/>; empty text yields an empty map. On failure <paramref name="error"/>
    /// carries Envoy's message and the result is null. A repeated component keeps its last level.
    /// </summary>
    public static IReadOnlyDictionary<string, LogLevel>? TryParse(string text, out string? error)
    {
        var levels = new Dictionary<string, LogLevel>(StringComparer.Ordinal);
        error = null;
        if (text.Length == 0)
        {
            return levels;
        }

        foreach (string item in text.Split(','))
        {
            string[] parts = item.Split(':');
            if (parts.Length != 2)
            {
                error = $"error: component log level not correctly specified '{item}'";
                return null;
            }

            if (!EnvoyLogLevels.TryParse(parts[1], out LogLevel level))
            {
                error = EnvoyLogLevels.InvalidLevelError(parts[1]);
                return null;
            }

            if (!LogComponents.IsKnown(parts[0]))
            {
                error = LogComponents.InvalidComponentError(parts[0]);
                return null;
            }

            levels[parts[0]] = level;
        }

        return levels;
    }
}
