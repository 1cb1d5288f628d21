namespace Legate.Admin.Handlers;

/// <summary>POST /healthcheck/fail and /healthcheck/ok: force health checks to fail (server reports DRAINING) or undo it.</summary>
internal static class HealthCheckHandlers
{
    public static AdminHandler CreateFail(AdminContext context) =>
        AdminHandler.Sync("/healthcheck/fail", "cause the server to fail health checks", true, _ =>
        {
            context.SetHealthCheckFailed(true);
            return AdminResponse.Ok();
        });

    public static AdminHandler CreateOk(AdminContext context) =>
        AdminHandler.Sync("/healthcheck/ok", "cause the server to pass health checks", true, _ =>
        {
            context.SetHealthCheckFailed(false);
            return AdminResponse.Ok();
        });
}
