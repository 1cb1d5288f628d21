namespace Legate.Admin.Handlers;

/// <summary>POST /reopen_logs: reopens the application log file (access-log files reopen on their own flush).</summary>
internal static class ReopenLogsHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/reopen_logs", "reopen access logs", true, _ =>
        {
            context.Options.Logging?.Reopen();
            return AdminResponse.Ok();
        });
}
