using System.Runtime.InteropServices;
using Envoy.Config.Bootstrap.V3;
using Legate.Config;
using Legate.Logging;
using Legate.Server;
using Microsoft.Extensions.Logging;

namespace Legate.Cli;

/// <summary>The <c>legate</c> executable: Envoy's flags, exit codes and process lifecycle around a <see cref="LegateServer"/>.</summary>
internal static class LegateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = CommandLine.Parse(args);
        if (parsed.Action != CommandLineAction.Serve || parsed.Options is null)
        {
            (parsed.OutputToStandardError ? Console.Error : Console.Out).Write(parsed.Output);
            return parsed.ExitCode;
        }
        var options = parsed.Options;
        EnvoyLoggerProvider logging;
        try
        {
            logging = new EnvoyLoggerProvider(options.ToLogSettings());
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine("error: cannot open log path '" + options.LogPath + "': " + ex.Message);
            return 1;
        }
        using var loggerFactory = LoggerFactory.Create(b => b.AddEnvoyLogging(logging));
        var log = loggerFactory.CreateLogger("main");
        foreach (var warning in parsed.Warnings)
        {
            log.LogWarning("{Warning}", warning);
        }
        ThreadPoolSizing.Apply(options.Concurrency);

        var configName = options.ConfigPath.Length > 0 ? options.ConfigPath : options.ConfigYaml;
        Bootstrap bootstrap;
        var unknownFields = 0;
        try
        {
            bootstrap = ConfigLoader.LoadBootstrap(
                NullIfEmpty(options.ConfigPath),
                NullIfEmpty(options.ConfigYaml),
                new ConfigLoadOptions
                {
                    AllowUnknownFields = options.AllowUnknownStaticFields,
                    OnUnknownField = path =>
                    {
                        unknownFields++;
                        log.LogWarning("unknown field ignored: {Path}", path);
                    },
                });
        }
        catch (ConfigException ex)
        {
            return ConfigError(log, logging, configName, ex.Message);
        }

        var runtime = new ServerRuntimeOptions
        {
            DrainTime = options.DrainTime,
            Concurrency = options.Concurrency,
            ServiceNode = NullIfEmpty(options.ServiceNode),
            ServiceCluster = NullIfEmpty(options.ServiceCluster),
            ServiceZone = NullIfEmpty(options.ServiceZone),
            FileFlushInterval = options.FileFlushInterval,
            ValidateOnly = options.Mode == ServerMode.Validate,
        };
        LegateServer server;
        try
        {
            server = new LegateServer(bootstrap, runtime, loggerFactory);
        }
        catch (ConfigException ex)
        {
            return ConfigError(log, logging, configName, ex.Message);
        }
        await using (server)
        {
            return await ServeAsync(server, bootstrap, options, logging, log, configName, unknownFields);
        }
    }

    private static async Task<int> ServeAsync(LegateServer server, Bootstrap bootstrap, ServerOptions options, EnvoyLoggerProvider logging, ILogger log, string configName, int unknownFields)
    {
        server.ServerStats.StaticUnknownFields.Add(unknownFields);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; server.RequestShutdown(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; server.RequestShutdown(); });
        using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)10, ctx => { ctx.Cancel = true; logging.Reopen(); server.ReopenAccessLogs(); });

        Legate.Admin.AdminServer? admin = null;
        try
        {
            // Like Envoy, the admin listener is up while the server initializes (/ready says INITIALIZING).
            if (options.Mode != ServerMode.Validate)
            {
                admin = await AdminHost.StartAsync(server, bootstrap, options, logging);
            }
            await server.StartAsync();
            if (options.Mode == ServerMode.Validate)
            {
                Console.Out.WriteLine("configuration '" + configName + "' OK");
                return 0;
            }
        }
        catch (ConfigException ex)
        {
            if (admin is not null)
            {
                await admin.StopAsync();
            }
            return ConfigError(log, logging, configName, ex.Message);
        }

        if (options.Mode == ServerMode.Serve)
        {
            ReleaseStartupGarbage();
            await server.ShutdownRequested;
            log.LogInformation("shutting down: draining listeners for up to {Seconds}s", options.DrainTime.TotalSeconds);
        }
        await server.ShutdownAsync();
        if (admin is not null)
        {
            await admin.StopAsync();
        }
        logging.Flush();
        return 0;
    }

    /// <summary>
    /// The YAML and JSON trees and descriptor-building temporaries of startup are garbage now, but with nothing
    /// allocating at idle no collection would come to return their pages: 2-5 MiB of idle RSS (bench/README.md).
    /// </summary>
    private static void ReleaseStartupGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static int ConfigError(ILogger log, EnvoyLoggerProvider logging, string configName, string reason)
    {
        log.LogCritical("error initializing configuration '{Config}': {Reason}", configName, reason);
        logging.Flush();
        return 1;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
