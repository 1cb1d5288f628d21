namespace Legate.Admin.Handlers;

/// <summary>POST /reset_counters: zero every counter.</summary>
internal static class ResetCountersHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/reset_counters", "reset all counters to zero", true, _ =>
        {
            context.Server.Stats.ResetCounters();
            return AdminResponse.Ok();
        });
}
