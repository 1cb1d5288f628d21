using System.Globalization;
using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.Server;

/// <summary>
/// Parses Envoy's command line. Accepts <c>-c x</c>, <c>--config-path x</c> and <c>--config-path=x</c>;
/// switches take no value; everything after <c>--</c> is ignored. Errors use Envoy's wording: TCLAP's
/// <c>PARSE ERROR: ...</c> (followed by a brief usage) for malformed arguments, and <c>error: ...</c> for
/// values Envoy rejects after parsing.
/// </summary>
public static class CommandLine
{
    private const string ErrorIndent = "\n             ";

    private static readonly Dictionary<string, CommandLineFlag> s_byName = BuildIndex();

    /// <summary>Parses <paramref name="args"/> (without the program name).</summary>
    public static CommandLineResult Parse(string[] args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--":
                    i = args.Length;
                    continue;
                case "-h":
                case "--help":
                    return CommandLineResult.Print(CommandLineAction.PrintUsage, CommandLineUsage.Usage);
                case "--version":
                    return CommandLineResult.Print(CommandLineAction.PrintVersion, $"\n{LegateVersion.VersionLine}\n\n");
            }

            if (!TrySplit(arg, out string key, out string? inlineValue) || !s_byName.TryGetValue(key, out CommandLineFlag? flag)
                || (flag.Kind == FlagKind.Switch && inlineValue is not null))
            {
                return ParseError($"Argument: {arg}", "Couldn't find match for argument");
            }

            if (values.TryGetValue(flag.Name, out List<string>? seen) && flag.Kind != FlagKind.Repeated)
            {
                return ParseError($"Argument: {flag.ErrorId}", "Argument already set!");
            }

            string value = "";
            if (flag.Kind != FlagKind.Switch)
            {
                if (inlineValue is null && ++i >= args.Length)
                {
                    return ParseError($"Argument: {flag.ErrorId}", "Missing a value for this argument!");
                }

                value = inlineValue ?? args[i];
                if (flag.ValueType == "uint32_t" && !uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return ParseError($"Argument: {flag.ErrorId}", $"Couldn't read argument value from string '{value}'");
                }
            }

            if (seen is null)
            {
                seen = [];
                values.Add(flag.Name, seen);
            }

            seen.Add(value);
        }

        return Build(new ParsedArgs(values), args);
    }

    private static CommandLineResult Build(ParsedArgs a, string[] args)
    {
        var warnings = new List<string>();

        LogLevel logLevel = LogLevel.Information;
        if (a.Value("log-level") is { } levelText && !EnvoyLogLevels.TryParse(levelText, out logLevel))
        {
            return Invalid(EnvoyLogLevels.InvalidLevelError(levelText));
        }

        string componentText = a.Value("component-log-level") ?? "";
        IReadOnlyDictionary<string, LogLevel>? componentLevels = ComponentLogLevels.TryParse(componentText, out string? componentError);
        if (componentLevels is null)
        {
            return Invalid(componentError!);
        }

        ServerMode mode;
        switch (a.Value("mode") ?? "serve")
        {
            case "serve": mode = ServerMode.Serve; break;
            case "validate": mode = ServerMode.Validate; break;
            case "init_only": mode = ServerMode.InitOnly; break;
            case var other: return Invalid($"error: unknown mode '{other}'");
        }

        IpVersion ipVersion;
        switch (a.Value("local-address-ip-version") ?? "v4")
        {
            case "v4": ipVersion = IpVersion.V4; break;
            case "v6": ipVersion = IpVersion.V6; break;
            case var other: return Invalid($"error: unknown IP address version '{other}'");
        }

        uint restartEpoch = a.UInt("restart-epoch", 0);
        bool dynamicBaseId = a.Has("use-dynamic-base-id");
        if (dynamicBaseId && restartEpoch > 0)
        {
            return Invalid($"error: cannot use --restart-epoch={restartEpoch} with --use-dynamic-base-id");
        }

        bool cpusetThreads = a.Has("cpuset-threads");
        if (cpusetThreads && a.Has("concurrency"))
        {
            warnings.Add("Both --concurrency and --cpuset-threads options are set; not applying --cpuset-threads.");
        }

        DrainStrategy drainStrategy;
        switch (a.Value("drain-strategy") ?? "gradual")
        {
            case "gradual": drainStrategy = DrainStrategy.Gradual; break;
            case "immediate": drainStrategy = DrainStrategy.Immediate; break;
            case var other: return Invalid($"error: unknown drain-strategy '{other}'");
        }

        var statsTags = new List<KeyValuePair<string, string>>();
        foreach (string tag in a.All("stats-tag"))
        {
            if (StatsTagError(tag, out KeyValuePair<string, string> pair) is { } tagError)
            {
                return Invalid(tagError);
            }

            statsTags.Add(pair);
        }

        bool allowUnknownFields = a.Has("allow-unknown-fields");
        if (allowUnknownFields)
        {
            warnings.Add("--allow-unknown-fields is deprecated, use --allow-unknown-static-fields instead.");
        }

        if (a.Has("hot-restart-version"))
        {
            // Hot restart is not implemented, which Envoy reports as "disabled" (on stderr, no newline).
            return CommandLineResult.Print(CommandLineAction.PrintHotRestartVersion, "disabled", toStderr: true);
        }

        string disableExtensions = a.Value("disable-extensions") ?? "";
        var options = new ServerOptions
        {
            ConfigPath = a.Value("config-path") ?? "",
            ConfigYaml = a.Value("config-yaml") ?? "",
            Mode = mode,
            LogLevel = logLevel,
            ComponentLogLevel = componentText,
            ComponentLogLevels = componentLevels,
            LogFormat = a.Value("log-format") ?? LogPattern.DefaultFormat,
            LogFormatEscaped = a.Has("log-format-escaped"),
            LogPath = a.Value("log-path") ?? "",
            Concurrency = a.Has("concurrency")
                ? (int)Math.Clamp(a.UInt("concurrency", 1), 1u, int.MaxValue)
                : Math.Max(1, Environment.ProcessorCount),
            CpusetThreads = cpusetThreads,
            ServiceNode = a.Value("service-node") ?? "",
            ServiceCluster = a.Value("service-cluster") ?? "",
            ServiceZone = a.Value("service-zone") ?? "",
            DrainTimeSeconds = a.UInt("drain-time-s", 600),
            DrainStrategy = drainStrategy,
            ParentShutdownTimeSeconds = a.UInt("parent-shutdown-time-s", 900),
            BaseId = a.UInt("base-id", 0),
            UseDynamicBaseId = dynamicBaseId,
            BaseIdPath = a.Value("base-id-path") ?? "",
            RestartEpoch = restartEpoch,
            DisableHotRestart = a.Has("disable-hot-restart"),
            AdminAddressPath = a.Value("admin-address-path") ?? "",
            LocalAddressIpVersion = ipVersion,
            FileFlushIntervalMsec = a.UInt("file-flush-interval-msec", 10000),
            AllowUnknownStaticFields = allowUnknownFields || a.Has("allow-unknown-static-fields"),
            RejectUnknownDynamicFields = a.Has("reject-unknown-dynamic-fields"),
            IgnoreUnknownDynamicFields = a.Has("ignore-unknown-dynamic-fields"),
            DisableExtensions = disableExtensions.Length == 0 ? [] : disableExtensions.Split(','),
            StatsTags = statsTags,
            EnableMutexTracing = a.Has("enable-mutex-tracing"),
            EnableFineGrainLogging = a.Has("enable-fine-grain-logging"),
            SocketPath = a.Value("socket-path") ?? "@envoy_domain_socket",
            SocketMode = a.UInt("socket-mode", 600),
            EnableCoreDump = a.Has("enable-core-dump"),
            HotRestartVersion = false,
            Args = (string[])args.Clone(),
        };
        return CommandLineResult.Serve(options, warnings);
    }

    // A stat tag is name:value; the name is alphanumeric and the value may not contain the '.' that
    // separates stat name segments (the value itself may contain ':').
    private static string? StatsTagError(string tag, out KeyValuePair<string, string> pair)
    {
        pair = default;
        int colon = tag.IndexOf(':');
        if (colon < 0)
        {
            return $"error: misformatted stats-tag '{tag}'";
        }

        string name = tag[..colon];
        string value = tag[(colon + 1)..];
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return $"error: misformatted stats-tag '{tag}' contains invalid char in '{name}'";
            }
        }

        if (value.Contains('.'))
        {
            return $"error: misformatted stats-tag '{tag}' contains invalid char in '{value}'";
        }

        pair = new KeyValuePair<string, string>(name, value);
        return null;
    }

    private static bool TrySplit(string arg, out string key, out string? inlineValue)
    {
        key = "";
        inlineValue = null;
        string body;
        if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
        {
            body = arg[2..];
        }
        else if (arg.Length >= 2 && arg[0] == '-' && arg[1] != '-' && (arg.Length == 2 || arg[2] == '='))
        {
            body = arg[1..];
        }
        else
        {
            return false;
        }

        int eq = body.IndexOf('=');
        key = eq < 0 ? body : body[..eq];
        inlineValue = eq < 0 ? null : body[(eq + 1)..];
        return true;
    }

    private static CommandLineResult ParseError(string argId, string detail)
    {
        string error = $"PARSE ERROR: {argId}{ErrorIndent}{detail}";
        return CommandLineResult.Fail(error, error + "\n" + CommandLineUsage.BriefUsage);
    }

    private static CommandLineResult Invalid(string error) => CommandLineResult.Fail(error, error + "\n");

    private static Dictionary<string, CommandLineFlag> BuildIndex()
    {
        var index = new Dictionary<string, CommandLineFlag>(StringComparer.Ordinal);
        foreach (CommandLineFlag flag in CommandLineFlag.All)
        {
            index.Add(flag.Name, flag);
            if (flag.ShortName is { } s)
            {
                index.Add(s.ToString(), flag);
            }
        }

        return index;
    }

    private sealed class ParsedArgs(Dictionary<string, List<string>> values)
    {
        public bool Has(string name) => values.ContainsKey(name);

        public string? Value(string name) => values.TryGetValue(name, out List<string>? v) ? v[0] : null;

        public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out List<string>? v) ? v : [];

        // Values were checked to be uint32 while parsing.
        public uint UInt(string name, uint fallback) =>
            Value(name) is { } text ? uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
    }
}
