using System.Net;
using System.Runtime.InteropServices;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Cli;

/// <summary>
/// The executable's socket scheduling: inline completions on twice as many epoll threads as cores, unless
/// the operator's environment says otherwise. Counted from the runtime's ".NET Sockets" threads in /proc.
/// </summary>
[Trait("Category", "Executable")]
public sealed class SocketSchedulingTests
{
    public static TheoryData<string, string, int> Environments => new()
    {
        // Nothing set: the CLI's choice.
        { "", "", 2 * Environment.ProcessorCount },
        // An explicit thread count wins.
        { "", "3", 3 },
        // Inline completions turned off: the runtime's own default engine count.
        { "0", "", RuntimeDefaultEngineCount() },
    };

    /// <summary>The runtime's sizing without inline completions: one epoll thread per 30 cores on x64, per 8 on Arm.</summary>
    private static int RuntimeDefaultEngineCount()
    {
        var coresPerEngine = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 8 : 30;
        return Math.Max(1, (int)Math.Round(Environment.ProcessorCount / (double)coresPerEngine));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Epoll_threads_follow_the_cli_default_unless_the_environment_sets_them(string inline, string threads, int expected)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        await using var upstream = await TestUpstream.StartAsync("A");
        using var dir = new TempDir();
        var port = Ports.ReserveAndRelease();
        var path = dir.Write("sched.yaml", ConfigYaml.Bootstrap(ConfigYaml.CatchAll("a"), [ConfigYaml.StaticCluster("a", upstream.Port)], port: port));
        var environment = new Dictionary<string, string>();
        if (inline.Length > 0)
        {
            environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = inline;
        }
        if (threads.Length > 0)
        {
            environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = threads;
        }
        await using var legate = LegateProcess.StartWithEnvironment(environment, "-c", path);
        Assert.True(await Ports.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => legate.HasExited), "never listened\n" + legate.Stderr);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync("http://127.0.0.1:" + port + "/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(expected, SocketThreads(legate.Process.Id));
    }

    private static int SocketThreads(int pid)
    {
        var count = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd() == ".NET Sockets")
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return count;
    }
}
