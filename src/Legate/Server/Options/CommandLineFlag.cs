namespace Legate.Server;

/// <summary>How a flag takes its value.</summary>
internal enum FlagKind
{
    /// <summary>No value; present or not.</summary>
    Switch,

    /// <summary>One value, given at most once.</summary>
    Value,

    /// <summary>One value per occurrence, may repeat.</summary>
    Repeated,
}

/// <summary>One command-line flag: its names, value shape and usage line.</summary>
internal sealed record CommandLineFlag(string Name, char? ShortName, FlagKind Kind, string ValueType, string Description)
{
    /// <summary>TCLAP's way of naming an argument in errors: <c>-c (--config-path)</c> or <c>(--mode)</c>.</summary>
    public string ErrorId => ShortName is { } s ? $"-{s} (--{Name})" : $"(--{Name})";

    /// <summary>All flags, in the order the usage text lists them.</summary>
    public static IReadOnlyList<CommandLineFlag> All { get; } =
    [
        Value("config-path", 'c', "string", "Path to the bootstrap configuration file (.yaml/.yml, .json, .pb or .pb_text)"),
        Value("config-yaml", null, "string", "Inline bootstrap YAML, merged over the contents of --config-path"),
        Value("mode", null, "string",
            "One of 'serve' (default; check the configuration, then serve traffic), 'validate' (check the "
            + "configuration and exit) or 'init_only' (initialize fully, then exit)"),
        Value("log-level", 'l', "string",
            "Application log level, one of " + Legate.Logging.EnvoyLogLevels.AllowedLevelsText + "; default is [info]"),
        Value("component-log-level", null, "string",
            "Comma-separated per-component log levels, for example upstream:debug,config:trace"),
        Value("log-format", null, "string",
            "Application log line format in spdlog pattern syntax; default is \""
            + Legate.Logging.LogPattern.DefaultFormat + "\""),
        Switch("log-format-escaped", "Escape C-style escape sequences (newlines, tabs, ...) in application log lines"),
        Value("log-path", null, "string", "Write the application log to this file instead of stderr"),
        Value("concurrency", null, "uint32_t", "Number of worker threads; default is the number of hardware threads"),
        Switch("cpuset-threads", "Take the default number of worker threads from the process's cpuset"),
        Value("service-node", null, "string", "Node name; overrides node.id of the bootstrap"),
        Value("service-cluster", null, "string", "Cluster name; overrides node.cluster of the bootstrap"),
        Value("service-zone", null, "string", "Zone name; overrides node.locality.zone of the bootstrap"),
        Value("drain-time-s", null, "uint32_t",
            "Seconds to drain connections on hot restart, listener removal or shutdown; default 600"),
        Value("drain-strategy", null, "string", "How to drain: 'gradual' (default) or 'immediate'"),
        Value("parent-shutdown-time-s", null, "uint32_t", "Seconds before a hot-restart parent is shut down; default 900"),
        Value("base-id", null, "uint32_t", "Shared-memory base id, so several instances can share a host"),
        Switch("use-dynamic-base-id", "Pick an unused base id at startup; not allowed with a non-zero restart epoch"),
        Value("base-id-path", null, "string", "File the chosen base id is written to"),
        Value("restart-epoch", null, "uint32_t", "Hot restart epoch number"),
        Switch("disable-hot-restart", "Turn hot restart off"),
        Switch("hot-restart-version", "Print the hot restart compatibility version and exit"),
        Value("admin-address-path", null, "string", "File the bound admin address is written to"),
        Value("local-address-ip-version", null, "string", "Address family of the local address: 'v4' (default) or 'v6'"),
        Value("file-flush-interval-msec", null, "uint32_t", "Milliseconds between access log file flushes; default 10000"),
        Switch("allow-unknown-static-fields", "Accept unknown fields in the bootstrap (warn and count instead of failing)"),
        Switch("allow-unknown-fields", "Deprecated spelling of --allow-unknown-static-fields"),
        Switch("reject-unknown-dynamic-fields", "Reject dynamic (xDS) resources that contain unknown fields"),
        Switch("ignore-unknown-dynamic-fields", "Accept unknown fields in dynamic resources without a warning"),
        Value("disable-extensions", null, "string", "Comma-separated list of extensions to disable"),
        Repeated("stats-tag", "string", "A name:value tag added to every stat; may be repeated"),
        Switch("enable-mutex-tracing", "Record mutex contention"),
        Switch("enable-fine-grain-logging", "Allow log levels per source file instead of per component"),
        Value("socket-path", null, "string", "Path of the hot restart domain socket; default @envoy_domain_socket"),
        Value("socket-mode", null, "uint32_t", "Permissions of the hot restart domain socket, in octal; default 600"),
        Switch("enable-core-dump", "Allow the process to write a core dump"),
    ];

    private static CommandLineFlag Value(string name, char? shortName, string type, string description) =>
        new(name, shortName, FlagKind.Value, type, description);

    private static CommandLineFlag Switch(string name, string description) =>
        new(name, null, FlagKind.Switch, "", description);

    private static CommandLineFlag Repeated(string name, string type, string description) =>
        new(name, null, FlagKind.Repeated, type, description);
}
