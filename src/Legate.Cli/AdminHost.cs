using Envoy.Config.Bootstrap.V3;
using Legate.Admin;
using Legate.Logging;
using Legate.Server;

namespace Legate.Cli;

/// <summary>Starts the admin listener when the bootstrap configures one (Envoy warns and runs without it otherwise).</summary>
internal static class AdminHost
{
    public static async Task<AdminServer?> StartAsync(LegateServer server, Bootstrap bootstrap, ServerOptions options, EnvoyLoggerProvider logging)
    {
        if (bootstrap.Admin?.Address is null)
        {
            return null;
        }
        var admin = new AdminServer(server, bootstrap.Admin, new AdminOptions
        {
            AddressPath = options.AdminAddressPath.Length > 0 ? options.AdminAddressPath : null,
            Logging = logging,
            CommandLine = options,
        });
        await admin.StartAsync(CancellationToken.None);
        return admin;
    }
}
