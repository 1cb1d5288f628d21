using Microsoft.Extensions.Logging;

namespace Legate.Server;

/// <summary>Every command-line flag with Envoy's default. Produced by <see cref="CommandLine.Parse"/>.</summary>
public sealed class ServerOptions
{
    /// <summary>-c / --config-path: the bootstrap file.</summary>
    public string ConfigPath { get; init; } = "";

    /// <summary>--config-yaml: bootstrap YAML merged over the --config-path result.</summary>
    public string ConfigYaml { get; init; } = "";

    public ServerMode Mode { get; init; } = ServerMode.Serve;

    /// <summary>-l / --log-level.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>--component-log-level exactly as given ("" when not set); reported by /server_info.</summary>
    public string ComponentLogLevel { get; init; } = "";

    /// <summary>--component-log-level parsed; keys are known component names.</summary>
    public IReadOnlyDictionary<string, LogLevel> ComponentLogLevels { get; init; } = new Dictionary<string, LogLevel>();

    public string LogFormat { get; init; } = Legate.Logging.LogPattern.DefaultFormat;

    public bool LogFormatEscaped { get; init; }

    /// <summary>--log-path; empty means stderr.</summary>
    public string LogPath { get; init; } = "";

    /// <summary>--concurrency, at least 1; defaults to the processor count (which already honours the cpuset).</summary>
    public int Concurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public string ServiceNode { get; init; } = "";

    public string ServiceCluster { get; init; } = "";

    public string ServiceZone { get; init; } = "";

    public uint DrainTimeSeconds { get; init; } = 600;

    public DrainStrategy DrainStrategy { get; init; } = DrainStrategy.Gradual;

    public uint ParentShutdownTimeSeconds { get; init; } = 900;

    public uint BaseId { get; init; }

    public bool UseDynamicBaseId { get; init; }

    public string BaseIdPath { get; init; } = "";

    public uint RestartEpoch { get; init; }

    public bool DisableHotRestart { get; init; }

    /// <summary>--admin-address-path: file the bound admin address is written to.</summary>
    public string AdminAddressPath { get; init; } = "";

    public IpVersion LocalAddressIpVersion { get; init; } = IpVersion.V4;

    public uint FileFlushIntervalMsec { get; init; } = 10000;

    /// <summary>--allow-unknown-static-fields or its deprecated alias --allow-unknown-fields.</summary>
    public bool AllowUnknownStaticFields { get; init; }

    public bool RejectUnknownDynamicFields { get; init; }

    public bool IgnoreUnknownDynamicFields { get; init; }

    /// <summary>--disable-extensions split on commas.</summary>
    public IReadOnlyList<string> DisableExtensions { get; init; } = [];

    /// <summary>--stats-tag name:value pairs in command-line order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> StatsTags { get; init; } = [];

    public bool CpusetThreads { get; init; }

    public bool EnableMutexTracing { get; init; }

    public bool EnableFineGrainLogging { get; init; }

    public string SocketPath { get; init; } = "@envoy_domain_socket";

    /// <summary>--socket-mode as written (octal digits, e.g. 600 for rw-------).</summary>
    public uint SocketMode { get; init; } = 600;

    public bool EnableCoreDump { get; init; }

    public bool HotRestartVersion { get; init; }

    /// <summary>The arguments as passed (without the program name).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    public TimeSpan DrainTime => TimeSpan.FromSeconds(DrainTimeSeconds);

    public TimeSpan ParentShutdownTime => TimeSpan.FromSeconds(ParentShutdownTimeSeconds);

    public TimeSpan FileFlushInterval => TimeSpan.FromMilliseconds(FileFlushIntervalMsec);

    /// <summary>Envoy refuses to start without -c or --config-yaml ("At least one of --config-path or
    /// --config-yaml ... should be non-empty"); the server checks this, not the parser.</summary>
    public bool HasConfig => ConfigPath.Length > 0 || ConfigYaml.Length > 0;

    /// <summary>The application-log part of the options.</summary>
    public Legate.Logging.LogSettings ToLogSettings() => new()
    {
        Level = LogLevel,
        ComponentLevels = ComponentLogLevels,
        Format = LogFormat,
        FormatEscaped = LogFormatEscaped,
        LogPath = LogPath,
    };
}
