namespace Legate.Admin.Handlers;

/// <summary>GET /hot_restart_version: Legate has no hot restart, which Envoy reports as "disabled".</summary>
internal static class HotRestartVersionHandler
{
    public const string Version = "disabled";

    public static AdminHandler Create() =>
        AdminHandler.Sync("/hot_restart_version", "print the hot restart compatibility version", false, _ => AdminResponse.Text(Version));
}
