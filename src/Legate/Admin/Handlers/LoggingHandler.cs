using System.Text;
using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.Admin.Handlers;

/// <summary>
/// POST /logging: with no parameters lists the loggers; <c>?level=</c> sets all, <c>?&lt;name&gt;=</c> one,
/// <c>?paths=a:lvl,b:lvl</c> several. A bad request is a 400 with Envoy's error and usage lines.
/// </summary>
internal static class LoggingHandler
{
    private static readonly string[] s_levels = ["trace", "debug", "info", "warning", "error", "critical", "off"];

    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/logging", "query/change logging levels", true, request => Handle(context.Options.Logging, request),
        [
            new("paths", "Change multiple logging levels by setting to <logger_name1>:<desired_level1>,<logger_name2>:<desired_level2>. If fine grain logging is enabled, use __FILE__ or a glob experision as the logger name. For example, source/common*:warning"),
            new("level", "desired logging level, this will change all loggers's level", ["", .. s_levels]),
        ]);

    private static AdminResponse Handle(EnvoyLoggerProvider? logging, AdminRequest request)
    {
        var sb = new StringBuilder();
        var status = 200;
        if (request.Query.Count > 0)
        {
            var error = Change(logging, request.Query);
            if (error is not null)
            {
                status = 400;
                sb.Append("error: ").Append(error).Append("\n\n");
                sb.Append("usage: /logging?<name>=<level> (change single level)\n");
                sb.Append("usage: /logging?paths=name1:level1,name2:level2,... (change multiple levels)\n");
                sb.Append("usage: /logging?level=<level> (change all levels)\n");
                sb.Append("levels: ");
                foreach (var level in s_levels)
                {
                    sb.Append(level).Append(' ');
                }
                sb.Append('\n');
            }
        }
        sb.Append("active loggers:\n");
        if (logging is not null)
        {
            foreach (var (name, level) in logging.GetLevels())
            {
                sb.Append("  ").Append(name).Append(": ").Append(EnvoyLogLevels.Name(level)).Append('\n');
            }
        }
        sb.Append('\n');
        return AdminResponse.Text(sb.ToString(), status);
    }

    private static string? Change(EnvoyLoggerProvider? logging, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count != 1)
        {
            return "invalid number of parameters";
        }
        var (key, value) = query[0];
        if (key == "level")
        {
            if (!TryParseLevel(value, out var all))
            {
                return "unknown logger level";
            }
            logging?.SetAllLevels(all);
            return null;
        }
        var changes = new List<KeyValuePair<string, LogLevel>>();
        if (key == "paths")
        {
            foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = pair.IndexOf(':');
                var name = colon < 0 ? pair : pair[..colon];
                var levelText = colon < 0 ? string.Empty : pair[(colon + 1)..];
                if (name.Length == 0 || levelText.Length == 0)
                {
                    return "empty logger name or empty logger level";
                }
                if (!TryParseLevel(levelText, out var level))
                {
                    return "unknown logger level";
                }
                changes.Add(new(name, level));
            }
        }
        else
        {
            if (!TryParseLevel(value, out var level))
            {
                return "unknown logger level";
            }
            changes.Add(new(key, level));
        }
        if (logging is null)
        {
            return changes.Count == 0 ? null : "unknown logger name";
        }
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in logging.GetLevels())
        {
            known.Add(name);
        }
        foreach (var (name, _) in changes)
        {
            if (!known.Contains(name))
            {
                return "unknown logger name";
            }
        }
        foreach (var (name, level) in changes)
        {
            logging.SetLevel(name, level);
        }
        return null;
    }

    // spdlog's level names exactly (Envoy's admin does not accept the "warn" alias here).
    private static bool TryParseLevel(string text, out LogLevel level)
    {
        level = LogLevel.None;
        return Array.IndexOf(s_levels, text) >= 0 && EnvoyLogLevels.TryParse(text, out level);
    }
}
