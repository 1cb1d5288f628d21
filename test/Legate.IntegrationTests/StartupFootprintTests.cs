using System.Net;
using System.Text.RegularExpressions;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>
/// What the proxy loads to serve a config. A generated message's <c>Descriptor</c> builds its .proto file, every
/// import and a reflection accessor per field (~20 MiB for the Bootstrap graph), so loading config and serving
/// traffic must never touch one. The runtime's JIT summary (<c>DOTNET_JitDisasmSummary</c>) lists every method
/// compiled, including the static constructor that builds a file's descriptor.
/// </summary>
public sealed partial class StartupFootprintTests
{
    [Fact]
    public async Task Loading_config_and_proxying_never_build_generated_descriptors()
    {
        using var dir = new TempDir();
        await using var upstream = await TestUpstream.StartAsync("A");
        var proxyPort = Ports.ReserveAndRelease();
        var config = dir.Write("legate.yaml", ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("backend", "timeout: 5s"),
            [ConfigYaml.StaticCluster("backend", upstream.Port, extra: """
                typed_extension_protocol_options:
                  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                    "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    explicit_http_config: { http_protocol_options: {} }
                """)],
            hcmExtra: """
                access_log:
                - name: envoy.access_loggers.stderr
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog
                """,
            port: proxyPort));
        // The summary goes to stdout, which nothing else writes here (the access log is on stderr). Not to a
        // file: DOTNET_JitStdOutFile can crash the runtime at exit when it closes that file under a running JIT.
        var environment = new Dictionary<string, string> { ["DOTNET_JitDisasmSummary"] = "1" };
        string compiled;

        await using (var legate = LegateProcess.StartWithEnvironment(environment, "-c", config, "--drain-time-s", "0"))
        {
            Assert.True(await Ports.WaitUntilListeningAsync(proxyPort, TimeSpan.FromSeconds(40), () => legate.HasExited), "no listener\n" + legate.Stderr);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{proxyPort}/");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            // A clean exit flushes the runtime's buffered stdout.
            legate.SendSigterm();
            var exitCode = await legate.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, "exit code " + exitCode + "\nstderr:\n" + legate.Stderr + "\nstdout tail:\n" + legate.Stdout[Math.Max(0, legate.Stdout.Length - 3000)..]);
            compiled = legate.Stdout;
        }

        Assert.Equal(3, upstream.Requests);
        // The control: the summary is there and covers config parsing and the HTTP/1.1 upstream path.
        Assert.Contains("Legate.Config.ProtoJsonEncoder:", compiled, StringComparison.Ordinal);
        Assert.Contains("Legate.Upstream.Http.Http1.Http1ConnectionPool:", compiled, StringComparison.Ordinal);
        var built = DescriptorBuilds().Matches(compiled).Select(m => m.Value).Distinct().ToList();
        Assert.True(built.Count == 0, "generated descriptors built: " + string.Join(", ", built));
    }

    // protoc's C# output builds a file's descriptor in the static constructor of its "<File>Reflection" class.
    [GeneratedRegex(@"(Envoy|Xds|Google\.Protobuf\.WellKnownTypes|Google\.Rpc)\.[A-Za-z0-9_.]+Reflection:\.cctor")]
    private static partial Regex DescriptorBuilds();
}
