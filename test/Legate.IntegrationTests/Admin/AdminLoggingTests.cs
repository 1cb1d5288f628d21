using Legate.IntegrationTests.Support;
using Legate.Logging;
using Microsoft.Extensions.Logging;

namespace Legate.IntegrationTests.Admin;

/// <summary>/logging is POST-only like Envoy's; it lists loggers and changes one, several or all levels.</summary>
public sealed class AdminLoggingTests
{
    [Fact]
    public async Task Logging_lists_and_changes_levels()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        using var logging = new EnvoyLoggerProvider(new LogSettings { Level = LogLevel.Information }, TextWriter.Null);
        await using var host = await AdminHost.StartAsync(
            ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo_cluster"), [ConfigYaml.StaticCluster("echo_cluster", upstream.Port)]),
            logging: logging);

        var (getStatus, getBody, _) = await host.GetAsync("/logging");
        Assert.Equal((405, "Method GET not allowed, POST required."), (getStatus, getBody));

        var (status, body) = await host.PostAsync("/logging");
        Assert.Equal(200, status);
        Assert.StartsWith("active loggers:\n", body);
        Assert.Contains("\n  admin: info\n", body);
        Assert.Contains("\n  upstream: info\n", body);

        (status, body) = await host.PostAsync("/logging?upstream=trace");
        Assert.Equal(200, status);
        Assert.Contains("\n  upstream: trace\n", body);
        Assert.Contains("\n  admin: info\n", body);
        Assert.Equal(LogLevel.Trace, logging.GetLevel("upstream"));

        (status, body) = await host.PostAsync("/logging?paths=admin:debug,router:error");
        Assert.Equal(200, status);
        Assert.Contains("\n  admin: debug\n", body);
        Assert.Contains("\n  router: error\n", body);

        (status, body) = await host.PostAsync("/logging?level=warning");
        Assert.Equal(200, status);
        Assert.DoesNotContain(": info\n", body);
        Assert.Contains("\n  upstream: warning\n", body);

        (status, body) = await host.PostAsync("/logging?level=loud");
        Assert.Equal(400, status);
        Assert.StartsWith("error: unknown logger level\n\nusage: /logging?<name>=<level> (change single level)\n", body);
        Assert.Contains("\nactive loggers:\n", body);
        (status, _) = await host.PostAsync("/logging?no_such_logger=info");
        Assert.Equal(400, status);
    }
}
