using Envoy.Admin.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.Server;

namespace Legate.Admin.Handlers;

/// <summary>GET /server_info: envoy.admin.v3.ServerInfo (version, state, uptime, command line, node).</summary>
internal static class ServerInfoHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/server_info", "print server version/status information", false,
            _ => AdminResponse.Json(AdminJson.FormatWithDefaults(Build(context))));

    public static ServerInfo Build(AdminContext context)
    {
        var server = context.Server;
        var uptime = Duration.FromTimeSpan(TimeSpan.FromSeconds(Math.Floor(server.Uptime.TotalSeconds)));
        var node = server.Bootstrap.Node?.Clone() ?? new Envoy.Config.Core.V3.Node();
        node.Id = server.LocalInfo.NodeId;
        node.Cluster = server.LocalInfo.ClusterName;
        if (server.LocalInfo.Zone.Length > 0)
        {
            node.Locality ??= new Envoy.Config.Core.V3.Locality();
            node.Locality.Zone = server.LocalInfo.Zone;
        }
        return new ServerInfo
        {
            Version = LegateVersion.Version,
            State = context.State switch
            {
                ServerState.Live => ServerInfo.Types.State.Live,
                ServerState.Draining => ServerInfo.Types.State.Draining,
                ServerState.PreInitializing => ServerInfo.Types.State.PreInitializing,
                _ => ServerInfo.Types.State.Initializing,
            },
            UptimeCurrentEpoch = uptime,
            UptimeAllEpochs = uptime.Clone(),
            HotRestartVersion = HotRestartVersionHandler.Version,
            CommandLineOptions = CommandLine(context.Options.CommandLine ?? new ServerOptions()),
            Node = node,
        };
    }

    private static CommandLineOptions CommandLine(ServerOptions o)
    {
        var options = new CommandLineOptions
        {
            BaseId = o.BaseId,
            UseDynamicBaseId = o.UseDynamicBaseId,
            BaseIdPath = o.BaseIdPath,
            Concurrency = (uint)o.Concurrency,
            ConfigPath = o.ConfigPath,
            ConfigYaml = o.ConfigYaml,
            AllowUnknownStaticFields = o.AllowUnknownStaticFields,
            RejectUnknownDynamicFields = o.RejectUnknownDynamicFields,
            IgnoreUnknownDynamicFields = o.IgnoreUnknownDynamicFields,
            AdminAddressPath = o.AdminAddressPath,
            LocalAddressIpVersion = o.LocalAddressIpVersion == IpVersion.V6 ? CommandLineOptions.Types.IpVersion.V6 : CommandLineOptions.Types.IpVersion.V4,
            LogLevel = Legate.Logging.EnvoyLogLevels.Name(o.LogLevel),
            ComponentLogLevel = o.ComponentLogLevel,
            LogFormat = o.LogFormat,
            LogFormatEscaped = o.LogFormatEscaped,
            LogPath = o.LogPath,
            ServiceCluster = o.ServiceCluster,
            ServiceNode = o.ServiceNode,
            ServiceZone = o.ServiceZone,
            FileFlushInterval = Duration.FromTimeSpan(o.FileFlushInterval),
            DrainTime = Duration.FromTimeSpan(o.DrainTime),
            DrainStrategy = o.DrainStrategy == Server.DrainStrategy.Immediate ? CommandLineOptions.Types.DrainStrategy.Immediate : CommandLineOptions.Types.DrainStrategy.Gradual,
            ParentShutdownTime = Duration.FromTimeSpan(o.ParentShutdownTime),
            Mode = o.Mode switch
            {
                ServerMode.Validate => CommandLineOptions.Types.Mode.Validate,
                ServerMode.InitOnly => CommandLineOptions.Types.Mode.InitOnly,
                _ => CommandLineOptions.Types.Mode.Serve,
            },
            DisableHotRestart = o.DisableHotRestart,
            EnableMutexTracing = o.EnableMutexTracing,
            RestartEpoch = o.RestartEpoch,
            CpusetThreads = o.CpusetThreads,
            EnableFineGrainLogging = o.EnableFineGrainLogging,
            SocketPath = o.SocketPath,
            SocketMode = o.SocketMode,
            EnableCoreDump = o.EnableCoreDump,
        };
        options.DisabledExtensions.AddRange(o.DisableExtensions);
        foreach (var (name, value) in o.StatsTags)
        {
            options.StatsTag.Add(name + ":" + value);
        }
        return options;
    }
}
