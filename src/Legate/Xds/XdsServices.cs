using Envoy.Config.Bootstrap.V3;
using Legate.Config;
using Legate.Server;

namespace Legate.Xds;

/// <summary>What subscriptions need from the server: the bootstrap (node, ads_config), the server context
/// (cluster manager for envoy_grpc clusters, stats, loggers, local info) and a clock.</summary>
public sealed class XdsServices
{
    public XdsServices(Bootstrap bootstrap, ServerContext server, TimeProvider? time = null)
    {
        Bootstrap = bootstrap;
        Server = server;
        Time = time ?? TimeProvider.System;
    }

    public Bootstrap Bootstrap { get; }

    public ServerContext Server { get; }

    public TimeProvider Time { get; }

    /// <summary>How resources from files and REST are parsed: unknown fields are dropped with a warning, as Envoy does for dynamic config.</summary>
    public ConfigLoadOptions ResourceOptions { get; init; } = new() { AllowUnknownFields = true };
}
