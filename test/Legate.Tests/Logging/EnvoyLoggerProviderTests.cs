using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.Tests.Logging;

public class EnvoyLoggerProviderTests
{
    private static readonly FixedTimeProvider s_clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    private static (EnvoyLoggerProvider Provider, StringWriter Output) Create(LogSettings? settings = null)
    {
        var output = new StringWriter { NewLine = "\n" };
        var provider = new EnvoyLoggerProvider(settings ?? new LogSettings { Format = "[%l][%n] %v" }, output, s_clock);
        return (provider, output);
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void WritesDefaultFormatWithClockAndThread()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create(new LogSettings());
        provider.CreateLogger("main").LogInformation("starting main dispatch loop");
        string thread = Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"[2025-01-02 03:04:05.678][{thread}][info][main] [main:0] starting main dispatch loop\n", output.ToString());
    }

    [Fact]
    public void FiltersByLevel()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create();
        ILogger logger = provider.CreateLogger("upstream");
        Assert.False(logger.IsEnabled(LogLevel.Debug));
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.None));
        logger.LogDebug("hidden");
        logger.LogInformation("shown {Count}", 3);
        logger.LogCritical("also shown");
        Assert.Equal(["[info][upstream] shown 3", "[critical][upstream] also shown"], Lines(output));
    }

    [Fact]
    public void ComponentLevelsFromSettings()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create(new LogSettings
        {
            Level = LogLevel.Warning,
            ComponentLevels = new Dictionary<string, LogLevel> { ["router"] = LogLevel.Trace },
            Format = "%n:%v",
        });
        provider.CreateLogger("router").LogTrace("r");
        provider.CreateLogger("http").LogInformation("h");
        Assert.Equal(["router:r"], Lines(output));
        Assert.Equal(LogLevel.Trace, provider.GetLevel("router"));
        Assert.Equal(LogLevel.Warning, provider.GetLevel("http"));
    }

    [Fact]
    public void UnknownComponentInSettingsIsRejected()
    {
        var settings = new LogSettings { ComponentLevels = new Dictionary<string, LogLevel> { ["nope"] = LogLevel.Debug } };
        ArgumentException e = Assert.Throws<ArgumentException>(() => new EnvoyLoggerProvider(settings, TextWriter.Null));
        Assert.Contains("error: invalid component specified 'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LevelsChangeAtRuntimeForExistingLoggers()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create();
        ILogger upstream = provider.CreateLogger("upstream");
        ILogger http = provider.CreateLogger("http");
        upstream.LogDebug("one");

        Assert.True(provider.SetLevel("upstream", LogLevel.Debug));
        upstream.LogDebug("two");
        http.LogDebug("not http");

        provider.SetAllLevels(LogLevel.Error);
        upstream.LogWarning("three");
        http.LogError("four");

        Assert.False(provider.SetLevel("no_such_component", LogLevel.Debug));
        Assert.Equal(["[debug][upstream] two", "[error][http] four"], Lines(output));
    }

    [Fact]
    public void ListsLevelsSortedByName()
    {
        (EnvoyLoggerProvider provider, _) = Create();
        provider.SetLevel("upstream", LogLevel.Trace);
        IReadOnlyList<KeyValuePair<string, LogLevel>> levels = provider.GetLevels();
        Assert.Equal(LogComponents.Names, levels.Select(l => l.Key));
        Assert.Contains(new KeyValuePair<string, LogLevel>("upstream", LogLevel.Trace), levels);
        Assert.Contains(new KeyValuePair<string, LogLevel>("admin", LogLevel.Information), levels);
    }

    [Fact]
    public void ForeignCategoriesPrintAsMiscAndDefaultToWarning()
    {
        (EnvoyLoggerProvider provider, StringWriter output) =
            Create(new LogSettings { Format = "[%l][%n] [%g:%#] %v" });
        ILogger kestrel = provider.CreateLogger("Microsoft.AspNetCore.Server.Kestrel");
        kestrel.LogInformation("connection chatter");
        kestrel.LogWarning(new EventId(64, "Http2Disabled"), "HTTP/2 is not enabled");
        provider.SetAllLevels(LogLevel.Debug);
        kestrel.LogInformation("still quiet");
        provider.SetLevel("misc", LogLevel.Debug);
        kestrel.LogDebug("now visible");
        Assert.Equal(
            [
                "[warning][misc] [Microsoft.AspNetCore.Server.Kestrel:64] HTTP/2 is not enabled",
                "[debug][misc] [Microsoft.AspNetCore.Server.Kestrel:0] now visible",
            ],
            Lines(output));
    }

    [Fact]
    public void OffSilencesEverything()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create(new LogSettings { Level = LogLevel.None });
        provider.CreateLogger("main").LogCritical("x");
        provider.CreateLogger("Yarp.ReverseProxy").LogCritical("y");
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void ExceptionFollowsTheMessage()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create(new LogSettings { Format = "%v", FormatEscaped = true });
        provider.CreateLogger("config").LogError(new InvalidOperationException("boom"), "update rejected");
        string line = Assert.Single(Lines(output));
        Assert.StartsWith("update rejected\\nSystem.InvalidOperationException: boom", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WorksThroughLoggerFactoryIncludingTraceAfterRuntimeChange()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddEnvoyLogging(provider));
        ILogger logger = factory.CreateLogger("pool");
        logger.LogTrace("before");
        provider.SetLevel("pool", LogLevel.Trace);
        logger.LogTrace("after");
        Assert.Equal(["[trace][pool] after"], Lines(output));
    }

    [Fact]
    public void ConcurrentWritersProduceWholeLines()
    {
        (EnvoyLoggerProvider provider, StringWriter output) = Create(new LogSettings { Format = "%v" });
        ILogger logger = provider.CreateLogger("http");
        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 200; i++)
            {
                logger.LogInformation("{Thread}-{Index}-" + new string('x', 50), t, i);
            }
        });
        string[] lines = Lines(output);
        Assert.Equal(1600, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d+-\d+-x{50}$", l));
    }
}
