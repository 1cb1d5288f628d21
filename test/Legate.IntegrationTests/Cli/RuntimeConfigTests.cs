using System.Text.Json;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Cli;

/// <summary>
/// The runtime settings the executable ships with, each chosen by measurement (bench/README.md): a setting lost in a
/// project-file edit would show only as a slower proxy, so its presence is checked here.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Theory]
    // A 3 MiB gen0 budget ("GC settings").
    [InlineData("System.GC.Gen0MaxBudget", 3145728)]
    // Idle thread-pool workers block without spinning first ("Thread-pool spinning"): set for builds with
    // PublishAot=true, the project's default and what the tests run.
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0)]
    public void The_executable_ships_the_measured_runtime_setting(string name, long expected)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(LegateProcess.RuntimeConfigPath));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.TryGetProperty(name, out var value), name + " is missing from " + LegateProcess.RuntimeConfigPath);
        Assert.Equal(expected, value.GetInt64());
    }
}
