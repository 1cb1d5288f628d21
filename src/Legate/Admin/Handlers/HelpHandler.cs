namespace Legate.Admin.Handlers;

/// <summary>GET /help: the endpoint list.</summary>
internal static class HelpHandler
{
    public static AdminHandler Create(Func<AdminHandlerTable> table) =>
        AdminHandler.Sync("/help", "print out list of admin commands", false, _ => AdminResponse.Text(table().Help()));
}
