using Legate.Server;

namespace Legate.Admin.Handlers;

/// <summary>GET /ready: the server state, 200 only when LIVE.</summary>
internal static class ReadyHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/ready", "print server state, return 200 if LIVE, otherwise return 503", false, _ =>
        {
            var state = context.State;
            return AdminResponse.Text(StateName(state) + "\n", state == ServerState.Live ? 200 : 503);
        });

    public static string StateName(ServerState state) => state switch
    {
        ServerState.Live => "LIVE",
        ServerState.Draining => "DRAINING",
        ServerState.PreInitializing => "PRE_INITIALIZING",
        _ => "INITIALIZING",
    };
}
