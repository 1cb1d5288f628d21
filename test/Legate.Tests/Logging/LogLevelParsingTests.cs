using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.Tests.Logging;

public class LogLevelParsingTests
{
    [Theory]
    [InlineData(LogLevel.Trace, "trace")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warning")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "critical")]
    [InlineData(LogLevel.None, "off")]
    public void NamesRoundTrip(LogLevel level, string name)
    {
        Assert.Equal(name, EnvoyLogLevels.Name(level));
        Assert.True(EnvoyLogLevels.TryParse(name, out LogLevel parsed));
        Assert.Equal(level, parsed);
    }

    [Theory]
    [InlineData("warn", true)]
    [InlineData("INFO", false)]
    [InlineData("information", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyEnvoysSpellingsParse(string? text, bool ok) => Assert.Equal(ok, EnvoyLogLevels.TryParse(text, out _));

    [Fact]
    public void ComponentsIncludeEnvoysCommonLoggersSorted()
    {
        string[] expected =
        [
            "admin", "assert", "backtrace", "client", "config", "connection", "conn_handler", "dns", "file", "filter",
            "grpc", "hc", "health_checker", "http", "http2", "init", "io", "main", "misc", "pool", "router", "runtime",
            "stats", "secret", "tracing", "upstream", "udp",
        ];
        foreach (string name in expected)
        {
            Assert.True(LogComponents.IsKnown(name), name);
        }

        Assert.False(LogComponents.IsKnown("Microsoft.AspNetCore"));
        var sorted = LogComponents.Names.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        Assert.Equal(sorted, LogComponents.Names);
    }

    [Fact]
    public void ComponentLevelsParse()
    {
        IReadOnlyDictionary<string, LogLevel>? levels =
            ComponentLogLevels.TryParse("upstream:debug,connection:trace,upstream:warn", out string? error);
        Assert.Null(error);
        Assert.NotNull(levels);
        Assert.Equal(2, levels!.Count);
        Assert.Equal(LogLevel.Warning, levels["upstream"]);
        Assert.Equal(LogLevel.Trace, levels["connection"]);
        Assert.Empty(ComponentLogLevels.TryParse("", out _)!);
    }

    [Theory]
    [InlineData("foo:debug", "error: invalid component specified 'foo'")]
    [InlineData("upstream:loud", "error: invalid log level specified 'loud'")]
    [InlineData("upstream", "error: component log level not correctly specified 'upstream'")]
    [InlineData("upstream:debug,", "error: component log level not correctly specified ''")]
    [InlineData("a:b:c", "error: component log level not correctly specified 'a:b:c'")]
    public void ComponentLevelsRejected(string text, string expected)
    {
        Assert.Null(ComponentLogLevels.TryParse(text, out string? error));
        Assert.Equal(expected, error);
    }
}
