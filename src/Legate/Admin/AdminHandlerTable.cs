using System.Text;
using Legate.Admin.Dashboard;
using Legate.Admin.Handlers;

namespace Legate.Admin;

/// <summary>
/// The admin endpoints sorted by prefix. Lookup is an exact match of the request path (Envoy compares the
/// path before '?' with each prefix); /help and the 404 text are generated from the same table.
/// </summary>
public sealed class AdminHandlerTable
{
    private readonly AdminHandler[] _handlers;

    public AdminHandlerTable(IEnumerable<AdminHandler> handlers)
    {
        _handlers = handlers.ToArray();
        Array.Sort(_handlers, static (a, b) => string.CompareOrdinal(a.Prefix, b.Prefix));
    }

    public IReadOnlyList<AdminHandler> Handlers => _handlers;

    /// <summary>Every endpoint Legate serves, wired to <paramref name="context"/>.</summary>
    public static AdminHandlerTable CreateDefault(AdminContext context)
    {
        AdminHandlerTable? table = null;
        Func<AdminHandlerTable> self = () => table!;
        var handlers = new List<AdminHandler>
        {
            HomeHandler.Create(self),
            HelpHandler.Create(self),
            CertsHandler.Create(),
            ClustersHandler.Create(context),
            ConfigDumpHandler.Create(context),
            DrainListenersHandler.Create(context),
            HealthCheckHandlers.CreateFail(context),
            HealthCheckHandlers.CreateOk(context),
            HotRestartVersionHandler.Create(),
            ListenersHandler.Create(context),
            LoggingHandler.Create(context),
            MemoryHandler.Create(),
            QuitHandler.Create(context),
            ReadyHandler.Create(context),
            ReopenLogsHandler.Create(context),
            ResetCountersHandler.Create(context),
            RuntimeHandler.Create(context),
            RuntimeModifyHandler.Create(context),
            ServerInfoHandler.Create(context),
            StatsHandler.Create(context),
            PrometheusStatsHandler.Create(context),
        };
        handlers.AddRange(DashboardHandlers.Create(context));
        table = new AdminHandlerTable(handlers);
        return table;
    }

    public AdminHandler? Find(string path)
    {
        foreach (var handler in _handlers)
        {
            if (string.Equals(handler.Prefix, path, StringComparison.Ordinal))
            {
                return handler;
            }
        }
        return null;
    }

    /// <summary>Envoy's /help text: "admin commands are:" then one line per endpoint and one per parameter.</summary>
    public string Help()
    {
        var sb = new StringBuilder("admin commands are:\n");
        foreach (var handler in _handlers)
        {
            sb.Append("  ").Append(handler.Prefix).Append(handler.MutatesState ? " (POST)" : string.Empty)
                .Append(": ").Append(handler.HelpText).Append('\n');
            foreach (var param in handler.Params ?? [])
            {
                sb.Append("      ").Append(param.Name).Append(": ").Append(param.Help);
                if (param.Choices is { } choices)
                {
                    sb.Append("; One of (").Append(string.Join(", ", choices)).Append(')');
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }
}
