using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.Tests.Logging;

public class LogPatternTests
{
    // 2024-03-05 07:08:09.0123456 at +02:00.
    private static readonly DateTimeOffset s_time =
        new DateTimeOffset(2024, 3, 5, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(123456);

    private static LogRecord Record(string message = "hello", LogLevel level = LogLevel.Information) =>
        new(s_time, 42, level, "upstream", "upstream", 7, message);

    [Fact]
    public void DefaultFormat()
    {
        Assert.Equal(
            "[2024-03-05 07:08:09.012][42][info][upstream] [upstream:7] hello",
            LogPattern.Parse(LogPattern.DefaultFormat).Format(Record()));
    }

    [Theory]
    [InlineData("%Y %y %m %d", "2024 24 03 05")]
    [InlineData("%H:%M:%S %I %p", "07:08:09 07 AM")]
    [InlineData("%e %f %F", "012 012345 012345600")]
    [InlineData("%T|%R|%D", "07:08:09|07:08|03/05/24")]
    [InlineData("%z", "+02:00")]
    [InlineData("%E", "1709615289")]
    [InlineData("%t %l %L %n %g %s %#", "42 warning W upstream upstream upstream 7")]
    [InlineData("%^%l%$ 100%% %v", "warning 100% hello")]
    [InlineData("%Q %", "%Q %")]
    [InlineData("[%8l][%-8l][%=9l][%2l]", "[ warning][warning ][ warning ][warning]")]
    public void Flags(string pattern, string expected)
    {
        Assert.Equal(expected, LogPattern.Parse(pattern).Format(Record(level: LogLevel.Warning)));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trace")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warning")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "critical")]
    public void LevelNamesAreEnvoys(LogLevel level, string expected) =>
        Assert.Equal(expected, LogPattern.Parse("%l").Format(Record(level: level)));

    [Fact]
    public void EscapedFormatKeepsOneEventOnOneLine()
    {
        LogPattern pattern = LogPattern.Parse("[%l] %v", escaped: true);
        Assert.True(pattern.Escaped);
        Assert.Equal("[info] a\\nb\\tc\\\\d\\\"e\\'f\\001 \\303\\251", pattern.Format(Record("a\nb\tc\\d\"e'f\u0001 é")));
        Assert.Equal("[info] plain", pattern.Format(Record("plain")));
    }

    [Fact]
    public void UnescapedFormatLeavesMessageAlone() =>
        Assert.Equal("a\nb", LogPattern.Parse("%v").Format(Record("a\nb")));
}
