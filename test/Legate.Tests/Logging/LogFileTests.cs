using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.Tests.Logging;

public sealed class LogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("legate-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AppendsToLogPathAndReopensAfterRotation()
    {
        string path = Path.Combine(_dir, "legate.log");
        File.WriteAllText(path, "existing\n");
        var settings = new LogSettings { LogPath = path, Format = "[%n] %v" };
        using (var provider = new EnvoyLoggerProvider(settings))
        {
            Assert.Equal(path, provider.LogPath);
            ILogger logger = provider.CreateLogger("main");
            logger.LogInformation("first");

            // Flushed per line: readable while the provider still holds the file.
            Assert.Equal("existing\n[main] first\n", File.ReadAllText(path));

            string rotated = path + ".1";
            File.Move(path, rotated);
            logger.LogInformation("second");
            Assert.True(provider.Reopen());
            logger.LogInformation("third");

            Assert.Equal("existing\n[main] first\n[main] second\n", File.ReadAllText(rotated));
            Assert.Equal("[main] third\n", File.ReadAllText(path));
        }
    }

    [Fact]
    public void ReopenFailureKeepsTheOldFile()
    {
        string sub = Path.Combine(_dir, "sub");
        Directory.CreateDirectory(sub);
        string path = Path.Combine(sub, "legate.log");
        using var provider = new EnvoyLoggerProvider(new LogSettings { LogPath = path, Format = "%v" });
        string moved = Path.Combine(_dir, "moved");
        Directory.Move(sub, moved);

        Assert.False(provider.Reopen());
        provider.CreateLogger("main").LogWarning("kept");
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(moved, "legate.log")));
    }

    [Fact]
    public void UnopenableLogPathFailsAtStartup()
    {
        string path = Path.Combine(_dir, "missing-dir", "legate.log");
        Assert.ThrowsAny<IOException>(() => new EnvoyLoggerProvider(new LogSettings { LogPath = path }));
    }

    [Fact]
    public void WritesAfterDisposeAreDropped()
    {
        string path = Path.Combine(_dir, "legate.log");
        var provider = new EnvoyLoggerProvider(new LogSettings { LogPath = path, Format = "%v" });
        ILogger logger = provider.CreateLogger("main");
        logger.LogInformation("before");
        provider.Dispose();
        logger.LogInformation("after");
        Assert.False(provider.Reopen());
        Assert.Equal("before\n", File.ReadAllText(path));
    }
}
