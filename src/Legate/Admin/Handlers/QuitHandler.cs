namespace Legate.Admin.Handlers;

/// <summary>POST /quitquitquit: answers OK, then asks the server to shut down.</summary>
internal static class QuitHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/quitquitquit", "exit the server", true, _ =>
        {
            context.Server.RequestShutdown();
            return AdminResponse.Ok();
        });
}
