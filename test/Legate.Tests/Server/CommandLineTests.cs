using Legate.Logging;
using Legate.Server;
using Microsoft.Extensions.Logging;

namespace Legate.Tests.Server;

public class CommandLineTests
{
    private static ServerOptions Ok(params string[] args)
    {
        CommandLineResult result = CommandLine.Parse(args);
        Assert.True(result.Action == CommandLineAction.Serve, result.Output);
        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(result.Options);
        return result.Options!;
    }

    private static CommandLineResult Fails(params string[] args)
    {
        CommandLineResult result = CommandLine.Parse(args);
        Assert.Equal(CommandLineAction.Error, result.Action);
        Assert.Equal(1, result.ExitCode);
        Assert.True(result.OutputToStandardError);
        Assert.Null(result.Options);
        Assert.StartsWith(result.Error!, result.Output);
        return result;
    }

    [Fact]
    public void DefaultsMatchEnvoy()
    {
        ServerOptions o = Ok();
        Assert.Equal("", o.ConfigPath);
        Assert.Equal("", o.ConfigYaml);
        Assert.Equal(ServerMode.Serve, o.Mode);
        Assert.Equal(LogLevel.Information, o.LogLevel);
        Assert.Empty(o.ComponentLogLevels);
        Assert.Equal("[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v", o.LogFormat);
        Assert.False(o.LogFormatEscaped);
        Assert.Equal("", o.LogPath);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount), o.Concurrency);
        Assert.Equal(600u, o.DrainTimeSeconds);
        Assert.Equal(TimeSpan.FromMinutes(10), o.DrainTime);
        Assert.Equal(DrainStrategy.Gradual, o.DrainStrategy);
        Assert.Equal(900u, o.ParentShutdownTimeSeconds);
        Assert.Equal(0u, o.BaseId);
        Assert.Equal(0u, o.RestartEpoch);
        Assert.Equal(IpVersion.V4, o.LocalAddressIpVersion);
        Assert.Equal(10000u, o.FileFlushIntervalMsec);
        Assert.False(o.AllowUnknownStaticFields);
        Assert.False(o.RejectUnknownDynamicFields);
        Assert.False(o.IgnoreUnknownDynamicFields);
        Assert.Empty(o.DisableExtensions);
        Assert.Empty(o.StatsTags);
        Assert.Equal("@envoy_domain_socket", o.SocketPath);
        Assert.Equal(600u, o.SocketMode);
        Assert.False(o.HasConfig);
        Assert.Empty(o.Args);
    }

    [Theory]
    [InlineData("-c", "envoy.yaml")]
    [InlineData("--config-path", "envoy.yaml")]
    [InlineData("--config-path=envoy.yaml")]
    [InlineData("-c=envoy.yaml")]
    public void ConfigPathForms(params string[] args)
    {
        ServerOptions o = Ok(args);
        Assert.Equal("envoy.yaml", o.ConfigPath);
        Assert.True(o.HasConfig);
        Assert.Equal(args, o.Args);
    }

    [Fact]
    public void EqualsFormKeepsLaterEqualsSigns()
    {
        Assert.Equal("a: b=c", Ok("--config-yaml=a: b=c").ConfigYaml);
    }

    [Fact]
    public void EveryValueFlagIsRead()
    {
        ServerOptions o = Ok(
            "--config-yaml", "admin: {}", "--mode", "validate", "-l", "debug",
            "--component-log-level", "upstream:trace,connection:warn", "--log-format", "%v", "--log-format-escaped",
            "--log-path", "/tmp/x.log", "--concurrency", "3", "--service-node", "n", "--service-cluster", "c",
            "--service-zone", "z", "--drain-time-s", "5", "--drain-strategy", "immediate",
            "--parent-shutdown-time-s", "7", "--base-id", "9", "--base-id-path", "/tmp/b", "--restart-epoch", "2",
            "--disable-hot-restart", "--admin-address-path", "/tmp/a", "--local-address-ip-version", "v6",
            "--file-flush-interval-msec", "250", "--reject-unknown-dynamic-fields", "--ignore-unknown-dynamic-fields",
            "--disable-extensions", "envoy.filters.http.buffer,envoy.filters.http.cors", "--stats-tag", "env:prod",
            "--stats-tag", "dc:a:b", "--enable-mutex-tracing", "--enable-fine-grain-logging",
            "--socket-path", "/tmp/s", "--socket-mode", "644", "--enable-core-dump", "--allow-unknown-static-fields");
        Assert.Equal("admin: {}", o.ConfigYaml);
        Assert.Equal(ServerMode.Validate, o.Mode);
        Assert.Equal(LogLevel.Debug, o.LogLevel);
        Assert.Equal("upstream:trace,connection:warn", o.ComponentLogLevel);
        Assert.Equal(LogLevel.Trace, o.ComponentLogLevels["upstream"]);
        Assert.Equal(LogLevel.Warning, o.ComponentLogLevels["connection"]);
        Assert.Equal("%v", o.LogFormat);
        Assert.True(o.LogFormatEscaped);
        Assert.Equal("/tmp/x.log", o.LogPath);
        Assert.Equal(3, o.Concurrency);
        Assert.Equal(("n", "c", "z"), (o.ServiceNode, o.ServiceCluster, o.ServiceZone));
        Assert.Equal(5u, o.DrainTimeSeconds);
        Assert.Equal(DrainStrategy.Immediate, o.DrainStrategy);
        Assert.Equal(7u, o.ParentShutdownTimeSeconds);
        Assert.Equal(9u, o.BaseId);
        Assert.Equal("/tmp/b", o.BaseIdPath);
        Assert.Equal(2u, o.RestartEpoch);
        Assert.True(o.DisableHotRestart);
        Assert.Equal("/tmp/a", o.AdminAddressPath);
        Assert.Equal(IpVersion.V6, o.LocalAddressIpVersion);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.FileFlushInterval);
        Assert.True(o.RejectUnknownDynamicFields);
        Assert.True(o.IgnoreUnknownDynamicFields);
        Assert.Equal(["envoy.filters.http.buffer", "envoy.filters.http.cors"], o.DisableExtensions);
        Assert.Equal([new("env", "prod"), new KeyValuePair<string, string>("dc", "a:b")], o.StatsTags);
        Assert.True(o.EnableMutexTracing);
        Assert.True(o.EnableFineGrainLogging);
        Assert.Equal("/tmp/s", o.SocketPath);
        Assert.Equal(644u, o.SocketMode);
        Assert.True(o.EnableCoreDump);
        Assert.True(o.AllowUnknownStaticFields);
    }

    [Theory]
    [InlineData("serve", ServerMode.Serve)]
    [InlineData("validate", ServerMode.Validate)]
    [InlineData("init_only", ServerMode.InitOnly)]
    public void Modes(string text, ServerMode mode) => Assert.Equal(mode, Ok("--mode", text).Mode);

    [Theory]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("critical", LogLevel.Critical)]
    [InlineData("off", LogLevel.None)]
    public void LogLevels(string text, LogLevel level) => Assert.Equal(level, Ok("--log-level", text).LogLevel);

    [Fact]
    public void ConcurrencyZeroMeansOne() => Assert.Equal(1, Ok("--concurrency", "0").Concurrency);

    [Fact]
    public void DeprecatedAllowUnknownFieldsIsAnAliasWithAWarning()
    {
        CommandLineResult result = CommandLine.Parse(["--allow-unknown-fields"]);
        Assert.True(result.Options!.AllowUnknownStaticFields);
        Assert.Contains(result.Warnings, w => w.Contains("--allow-unknown-fields is deprecated", StringComparison.Ordinal));
    }

    [Fact]
    public void ArgumentsAfterDoubleDashAreIgnored() => Assert.Equal("a", Ok("-c", "a", "--", "--bogus").ConfigPath);

    [Theory]
    [InlineData("error: unknown mode 'foo'", "--mode", "foo")]
    [InlineData("error: unknown IP address version 'v5'", "--local-address-ip-version", "v5")]
    [InlineData("error: invalid log level specified 'foo'", "--log-level", "foo")]
    [InlineData("error: invalid log level specified 'foo'", "-l", "foo")]
    [InlineData("error: unknown drain-strategy 'slow'", "--drain-strategy", "slow")]
    [InlineData("error: cannot use --restart-epoch=1 with --use-dynamic-base-id", "--use-dynamic-base-id", "--restart-epoch", "1")]
    [InlineData("error: invalid component specified 'foo'", "--component-log-level", "foo:debug")]
    [InlineData("error: invalid log level specified 'foo'", "--component-log-level", "upstream:foo")]
    [InlineData("error: invalid log level specified ''", "--component-log-level", "upstream:,connection:trace")]
    [InlineData("error: component log level not correctly specified 'upstream:foo:bar'", "--component-log-level", "upstream:foo:bar")]
    [InlineData("error: component log level not correctly specified 'upstream'", "--component-log-level", "upstream")]
    [InlineData("error: misformatted stats-tag 'foo'", "--stats-tag", "foo")]
    [InlineData("error: misformatted stats-tag 'f_o:bar' contains invalid char in 'f_o'", "--stats-tag", "f_o:bar")]
    [InlineData("error: misformatted stats-tag 'foo:b.ar' contains invalid char in 'b.ar'", "--stats-tag", "foo:b.ar")]
    public void RejectedValues(string error, params string[] args)
    {
        CommandLineResult result = Fails(args);
        Assert.Equal(error, result.Error);
        Assert.Equal(error + "\n", result.Output);
    }

    [Theory]
    [InlineData("PARSE ERROR: Argument: --bogus-flag\n             Couldn't find match for argument", "--bogus-flag")]
    [InlineData("PARSE ERROR: Argument: --bootstrap-version\n             Couldn't find match for argument", "--bootstrap-version", "3")]
    [InlineData("PARSE ERROR: Argument: stray\n             Couldn't find match for argument", "stray")]
    [InlineData("PARSE ERROR: Argument: --disable-hot-restart=1\n             Couldn't find match for argument", "--disable-hot-restart=1")]
    [InlineData("PARSE ERROR: Argument: -c (--config-path)\n             Missing a value for this argument!", "-c")]
    [InlineData("PARSE ERROR: Argument: (--mode)\n             Missing a value for this argument!", "--mode")]
    [InlineData("PARSE ERROR: Argument: (--concurrency)\n             Couldn't read argument value from string 'abc'", "--concurrency", "abc")]
    [InlineData("PARSE ERROR: Argument: (--drain-time-s)\n             Couldn't read argument value from string '-1'", "--drain-time-s=-1")]
    [InlineData("PARSE ERROR: Argument: (--mode)\n             Argument already set!", "--mode", "serve", "--mode", "validate")]
    [InlineData("PARSE ERROR: Argument: (--disable-hot-restart)\n             Argument already set!", "--disable-hot-restart", "--disable-hot-restart")]
    public void MalformedArguments(string error, params string[] args)
    {
        CommandLineResult result = Fails(args);
        Assert.Equal(error, result.Error);
        Assert.Contains("Brief USAGE", result.Output, StringComparison.Ordinal);
        Assert.Contains("legate --help", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void HelpPrintsUsage(string flag)
    {
        CommandLineResult result = CommandLine.Parse(["--mode", "foo", flag, "--bogus"]);
        Assert.Equal(CommandLineAction.PrintUsage, result.Action);
        Assert.Equal(0, result.ExitCode);
        Assert.False(result.OutputToStandardError);
        Assert.Equal(CommandLineUsage.Usage, result.Output);
    }

    [Fact]
    public void UsageListsEveryFlag()
    {
        string usage = CommandLineUsage.Usage;
        string[] flags =
        [
            "config-path", "config-yaml", "mode", "log-level", "component-log-level", "log-format", "log-format-escaped",
            "log-path", "concurrency", "service-node", "service-cluster", "service-zone", "drain-time-s",
            "drain-strategy", "parent-shutdown-time-s", "base-id", "use-dynamic-base-id", "base-id-path",
            "restart-epoch", "disable-hot-restart", "hot-restart-version", "admin-address-path",
            "local-address-ip-version", "file-flush-interval-msec", "allow-unknown-static-fields",
            "allow-unknown-fields", "reject-unknown-dynamic-fields", "ignore-unknown-dynamic-fields",
            "disable-extensions", "stats-tag", "cpuset-threads", "enable-mutex-tracing", "enable-fine-grain-logging",
            "socket-path", "socket-mode", "enable-core-dump", "version", "help",
        ];
        foreach (string flag in flags)
        {
            Assert.Matches($@"\n   (-\w[^\n]*,  )?--{flag}( <\w+>)?(  \(accepted multiple times\))?\n     \S", usage);
        }

        Assert.Contains("-c <string>,  --config-path <string>", usage, StringComparison.Ordinal);
        Assert.Contains("-l <string>,  --log-level <string>", usage, StringComparison.Ordinal);
        foreach (string line in usage.Split('\n'))
        {
            Assert.True(line.Length <= 75, line);
        }
    }

    [Fact]
    public void VersionHasEnvoysShape()
    {
        CommandLineResult result = CommandLine.Parse(["--version"]);
        Assert.Equal(CommandLineAction.PrintVersion, result.Action);
        Assert.Equal(0, result.ExitCode);
        Assert.False(result.OutputToStandardError);
        Assert.Matches(@"^\nlegate  version: [0-9a-f]{7,40}/\d+\.\d+\.\d+[^/]*/(Clean|Modified)/(RELEASE|DEBUG)/[^/\s]+\n\n$", result.Output);
        Assert.Equal("\n" + LegateVersion.VersionLine + "\n\n", result.Output);
    }

    [Fact]
    public void HotRestartVersionPrintsDisabled()
    {
        CommandLineResult result = CommandLine.Parse(["--hot-restart-version"]);
        Assert.Equal(CommandLineAction.PrintHotRestartVersion, result.Action);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.OutputToStandardError);
        Assert.Equal("disabled", result.Output);
    }

    [Fact]
    public void OptionsConvertToLogSettings()
    {
        LogSettings settings = Ok("-l", "error", "--component-log-level", "http:debug", "--log-path", "/tmp/l",
            "--log-format", "%l %v", "--log-format-escaped").ToLogSettings();
        Assert.Equal(LogLevel.Error, settings.Level);
        Assert.Equal(LogLevel.Debug, settings.ComponentLevels["http"]);
        Assert.Equal("/tmp/l", settings.LogPath);
        Assert.Equal("%l %v", settings.Format);
        Assert.True(settings.FormatEscaped);
    }
}
