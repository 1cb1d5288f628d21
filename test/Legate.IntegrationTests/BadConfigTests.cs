using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>Startup config errors through the real CLI: exit 1, the field path in the message, no listener ever bound.</summary>
[Trait("Category", "Executable")]
public sealed class BadConfigTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "malformed_yaml", "malformed YAML at line " },
        { "unknown_field", "static_resources.clusters[0].bogus_field: " },
        { "wrong_enum", "static_resources.clusters[0].lb_policy: unknown value \"ROUND_ROBINN\"" },
        { "missing_cluster", ": static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster: unknown cluster 'missing'" },
        { "bad_duration", "static_resources.clusters[0].connect_timeout" },
        { "tcp_proxy_without_cluster", "static_resources.listeners[0].filter_chains[0].filters[0].typed_config: one of cluster or weighted_clusters must be set" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Validate_mode_rejects_with_the_field_path(string name, string expected)
    {
        using var dir = new TempDir();
        var port = Ports.ReserveAndRelease();
        var path = dir.Write(name + ".yaml", Config(name, port));

        var result = await LegateProcess.RunAsync(TimeSpan.FromSeconds(30), "--mode", "validate", "-c", path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Contains("error initializing configuration '" + path + "'", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" OK", result.Stdout, StringComparison.Ordinal);
        AssertNamesTheProblem(name, result.Output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Serve_mode_exits_1_without_opening_the_listener(string name, string expected)
    {
        using var dir = new TempDir();
        var port = Ports.ReserveAndRelease();
        var path = dir.Write(name + ".yaml", Config(name, port));

        await using var legate = LegateProcess.Start("-c", path);
        // Probe the configured port for as long as the process lives: it must never accept a connection.
        var everListened = false;
        while (!legate.HasExited)
        {
            everListened |= await Ports.AcceptsConnectionsAsync(port);
            if (!legate.HasExited)
            {
                await Task.Delay(20);
            }
        }
        var code = await legate.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(code == 1, $"exit {code}\n{legate.Stdout}\n{legate.Stderr}");
        Assert.False(everListened, "the listener port accepted a connection");
        Assert.False(await Ports.AcceptsConnectionsAsync(port));
        Assert.Contains(expected, legate.Stdout + legate.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_address_in_use_exits_1_naming_the_address()
    {
        using var dir = new TempDir();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var adminPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var port = Ports.ReserveAndRelease();
        var config = "admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: " + adminPort + " }\n"
            + ConfigYaml.Bootstrap(ConfigYaml.CatchAll("backend"), [ConfigYaml.StaticCluster("backend", Ports.ReserveAndRelease())], port: port);
        var path = dir.Write("admin_in_use.yaml", config);

        var result = await LegateProcess.RunAsync(TimeSpan.FromSeconds(30), "-c", path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("admin.address: cannot bind 127.0.0.1:" + adminPort + ": ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        Assert.False(await Ports.AcceptsConnectionsAsync(port));
    }

    private static void AssertNamesTheProblem(string name, string output)
    {
        switch (name)
        {
            case "bad_duration":
                Assert.Matches(@"static_resources\.clusters\[0\]\.connect_timeout: \S", output);
                break;
        }
    }

    private static string Config(string name, int port)
    {
        var cluster = ConfigYaml.StaticCluster("backend", Ports.ReserveAndRelease());
        var route = ConfigYaml.CatchAll("backend");
        switch (name)
        {
            case "tcp_proxy_without_cluster":
                return ConfigYaml.TcpProxyBootstrap("stat_prefix: tcp\n", [cluster], port: port);
            case "malformed_yaml":
                return ConfigYaml.Bootstrap(route, [cluster], port: port) + "  - name: [unclosed\n   bad: : indent\n";
            case "unknown_field":
                cluster += "bogus_field: 1\n";
                break;
            case "wrong_enum":
                cluster = cluster.ReplaceExactly("lb_policy: ROUND_ROBIN", "lb_policy: ROUND_ROBINN");
                break;
            case "missing_cluster":
                route = ConfigYaml.CatchAll("missing");
                break;
            case "bad_duration":
                cluster = cluster.ReplaceExactly("connect_timeout: 1s", "connect_timeout: 5");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
        return ConfigYaml.Bootstrap(route, [cluster], port: port);
    }
}
